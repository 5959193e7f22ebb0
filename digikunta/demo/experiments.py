"""Demo experiments: forty published ones in twenty municipalities of every size, in Finnish and
Swedish, at every stage, with journals, indicators and reuses across organisations (and a few
drafts and a members-only one that the public pages must not show).

Each is written through experiments/services.py by its owner municipality's experiment lead
(people.LEADS), then its dates are moved into the past (``_backdate``), since the services
stamp "now". Idempotent by slug. The texts draw on the programme's seeds
(/work/shared/seeds/): e-meetings, summer residents, facility booking with door access and
payment, automation in customer service, location data, "what would you do with 10,000
euros?", digital support for older people.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from digikunta.accounts.models import User
from digikunta.experiments import services
from digikunta.experiments.models import (
    Experiment,
    JournalEntry,
    LifeEvent,
    Measurement,
    Outcome,
    Status,
    StepStatus,
    TargetGroup,
    Theme,
    Transition,
    Visibility,
)
from digikunta.organisations.models import Organisation

STAGES = ["idea", "planned", "running", "ended", "evaluated", "spread"]

# slug, owner (municipality code), lang, title, summary, problem, hypothesis, themes, groups,
# events (life events), stage, outcome, results, lessons, steps, indicator (name, unit,
# baseline, target, [monthly values]), journal [texts], partners (organisation slugs), places
# (other municipalities taking part), needs, began/last (months ago: created, last stage move),
# reuse_of (the original's slug), visibility.
EXPERIMENTS: list[dict[str, Any]] = [
    {
        "slug": "kirjaston-tilavaraus-ja-ovenavaus",
        "owner": "297",
        "lang": "fi",
        "title": "Kirjaston tilavaraus, ovenavaus ja maksaminen yhdessä palvelussa",
        "summary": "Kuntalaiset varaavat kirjaston ryhmätilat verkossa, maksavat varauksen ja avaavat oven puhelimella, myös iltaisin ja viikonloppuisin.",
        "problem": "Tilavaraus, kulunvalvonta ja maksaminen ovat kolmessa eri järjestelmässä, ja avaimet haetaan virka-aikana palvelutiskiltä.",
        "hypothesis": "Kun varaus, maksu ja ovi ovat yhdessä palvelussa, tilojen iltakäyttö kasvaa ja henkilöstön aikaa vapautuu asiakastyöhön.",
        "themes": ["facilities", "e-services"],
        "groups": ["residents", "associations"],
        "stage": "spread",
        "outcome": "succeeded",
        "results": "Iltakäyttö kolminkertaistui puolessa vuodessa. Avainten luovutukset loppuivat kokonaan, ja palvelutiskiltä vapautui noin kuusi tuntia viikossa.",
        "lessons": "Aloita yhdellä tilalla ja yhdellä kuukaudella. Kysy käyttäjiltä joka viikko, mikä hidastaa varaamista. Sopimus kulunvalvonnan toimittajan kanssa kannattaa tehdä ennen kuin mitään julkaistaan.",
        "steps": [
            "Yksi ryhmätila, yksi kuukausi",
            "Maksaminen mukaan",
            "Kaikki kirjaston ryhmätilat",
            "Koulujen liikuntasalit",
        ],
        "indicator": ("Varaukset kuukaudessa", "kpl", 40, 120, [52, 81, 118, 131, 140, 152]),
        "journal": [
            "Ensimmäinen viikko takana. **Ovi aukesi puhelimella 41 kertaa**, ja vain kerran tarvittiin apua: sovellus ei tunnistanut vanhaa puhelinta.",
            "Maksaminen on nyt mukana. Yhdistykset toivoivat laskua kuukauden lopussa, joten lisäsimme sen vaihtoehdoksi.",
        ],
        "partners": ["tilapalvelu-oy", "ita-suomen-yliopisto"],
        "needs": [],
        "began": 22,
        "last": 4,
    },
    {
        "slug": "digitala-invanartjanster-vasa",
        "owner": "905",
        "lang": "sv",
        "title": "Digital rådgivning för äldre invånare",
        "summary": "Frivilliga digistödjare hjälper äldre invånare att använda kommunens e-tjänster på huvudbiblioteket två timmar i veckan.",
        "problem": "Många äldre invånare ringer kommunen när e-tjänsterna inte fungerar för dem, och samtalen tar kundtjänstens tid.",
        "hypothesis": "Personlig rådgivning på biblioteket minskar samtalen till kundtjänsten och ökar användningen av e-tjänsterna.",
        "themes": ["e-services", "wellbeing"],
        "groups": ["elderly"],
        "events": ["LE-RETIREMENT"],
        "stage": "evaluated",
        "outcome": "partly",
        "results": "Samtalen till kundtjänsten minskade med en femtedel, men rådgivningen nådde främst dem som redan använde e-tjänster.",
        "lessons": "De som behöver hjälp mest kommer inte till biblioteket. Nästa gång: hembesök och samarbete med pensionärsföreningarna redan från början.",
        "steps": [
            "Två timmar i veckan på huvudbiblioteket",
            "Rådgivning på servicehusen",
            "Hembesök",
        ],
        "indicator": (
            "Samtal till kundtjänsten per vecka",
            "st",
            220,
            150,
            [214, 205, 190, 184, 176],
        ),
        "journal": [
            "Första tisdagen kom elva personer. Flest frågor gällde **bankkoder och Suomi.fi-fullmakter**, inte kommunens egna tjänster.",
            "Vi provade rådgivning på servicehuset Sundom. Där kom fler av dem som aldrig använt e-tjänster.",
        ],
        "partners": ["vasa-digiforening", "novia"],
        "began": 19,
        "last": 6,
    },
    {
        "slug": "etakokoukset-lautakunnille",
        "owner": "091",
        "lang": "fi",
        "title": "Etäkokoukset lautakunnille",
        "summary": "Lautakuntien kokouksiin voi osallistua etänä, ja pöytäkirjat tarkastetaan ja allekirjoitetaan sähköisesti.",
        "problem": "Kokouksiin matkustaminen vie luottamushenkilöiltä iltoja, ja pöytäkirjan tarkastus venyy viikkoon.",
        "hypothesis": "Etäosallistuminen lisää läsnäoloa ja sähköinen allekirjoitus lyhentää pöytäkirjan valmistumista kolmeen päivään.",
        "themes": ["management", "participation"],
        "groups": ["elected-officials", "staff"],
        "stage": "spread",
        "outcome": "succeeded",
        "results": "Läsnäolo nousi 78 prosentista 94 prosenttiin. Pöytäkirjat valmistuivat keskimäärin kahdessa päivässä.",
        "lessons": "Tekniikka oli helppoa, puheenjohtajan rooli vaikeaa: etäosallistujat pitää kutsua puheenvuoroon nimeltä. Kokeile ensin yhdessä lautakunnassa.",
        "steps": ["Yksi lautakunta kokeilee", "Sähköinen allekirjoitus", "Kaikki lautakunnat"],
        "indicator": ("Läsnäoloprosentti", "%", 78, 95, [84, 91, 93, 94]),
        "journal": [
            "Kasvatus- ja koulutuslautakunta kokoontui ensimmäistä kertaa hybridinä. Kaksi jäsentä osallistui työmatkalta."
        ],
        "began": 24,
        "last": 9,
    },
    {
        "slug": "kesaasukkaat-mukaan-kehittamiseen",
        "owner": "507",
        "lang": "fi",
        "title": "Kesäasukkaat mukaan kunnan kehittämiseen",
        "summary": "Noin 10 000 kesäasukasta kutsuttiin kertomaan ideansa verkossa ja äänestämään kesän pienistä hankkeista.",
        "problem": "Vapaa-ajan asukkaat eivät tiedä, miten he voisivat vaikuttaa kunnan asioihin, eikä kunta tunne heidän toiveitaan.",
        "hypothesis": "Verkossa tapahtuva ideointi tavoittaa kesäasukkaat paremmin kuin kesäkuun yleisötilaisuus torilla.",
        "themes": ["participation"],
        "groups": ["summer-residents"],
        "events": ["LE-MOVE"],
        "stage": "evaluated",
        "outcome": "did_not_succeed",
        "results": "Ideoita tuli vain 14, ja kyselyyn vastasi 3 % kesäasukkaista. Äänestykseen osallistui 61 henkeä.",
        "lessons": "Kutsu ei tavoittanut ketään ilman osoitetietoja: kunnan sivuilla käyvät jo valmiiksi aktiiviset. Seuraavalla kerralla yhteistyö kesämökkiyhdistysten kanssa ja kirje kiinteistöverolaskun mukana.",
        "steps": ["Ideakilpailu verkossa", "Äänestys kesän hankkeista"],
        "indicator": ("Ideoita", "kpl", 0, 200, [3, 9, 14]),
        "journal": [
            "Kolme viikkoa ideointia takana, ideoita yhdeksän. Torilla kysyimme ohikulkijoilta: kukaan ei ollut kuullut kilpailusta."
        ],
        "began": 17,
        "last": 8,
    },
    {
        "slug": "yrityksen-perustamisen-neuvonta",
        "owner": "837",
        "lang": "fi",
        "title": "Yrityksen perustamisen chat-neuvonta iltaisin",
        "summary": "Elinkeinopalvelut vastaavat aloittavien yrittäjien kysymyksiin chatissa myös iltaisin, kun moni suunnittelee yritystään päivätyön jälkeen.",
        "problem": "Neuvontaa saa vain virka-aikaan, mutta valtaosa yhteydenotoista tulee verkkolomakkeella illalla.",
        "hypothesis": "Iltachat lyhentää aikaa ensimmäisestä yhteydenotosta yrityksen perustamiseen ja vähentää keskeytyneitä perustamisia.",
        "themes": ["vitality", "automation"],
        "groups": ["businesses"],
        "events": ["BE-START"],
        "stage": "planned",
        "steps": ["Chat kahtena iltana viikossa", "Yleisimmät kysymykset valmiiksi vastatuiksi"],
        "needs": ["test_users", "mentors"],
        "began": 3,
        "last": 2,
    },
    {
        "slug": "osallistuva-budjetointi-nuorille",
        "owner": "837",
        "lang": "fi",
        "title": "Mitä tekisit 10 000 eurolla? Nuorten osallistuva budjetointi",
        "summary": "Tamperelaiset 13–20-vuotiaat ideoivat ja äänestivät verkossa, mihin nuorisopalvelujen 10 000 euroa käytetään.",
        "problem": "Nuoret eivät osallistu kunnan kuulemisiin, ja nuorisovaltuuston kautta tavoitetaan vain harvat.",
        "hypothesis": "Kun päätettävänä on oikea summa ja äänestys tapahtuu puhelimella, nuoret osallistuvat ja ideat toteutuvat nopeasti.",
        "themes": ["participation", "culture-leisure"],
        "groups": ["young"],
        "stage": "spread",
        "outcome": "succeeded",
        "results": "Ideoita tuli 312 ja ääniä annettiin 4 180. Voittajat – skeittiparkin valot ja ilmainen bänditila – toteutuivat kahdessa kuukaudessa.",
        "lessons": "Koulut ovat paras jakelukanava: äänestys oppitunnilla nosti osallistumisen moninkertaiseksi. Toteutus pitää luvata päivämäärällä, muuten luottamus katoaa.",
        "steps": [
            "Ideointi kouluissa ja verkossa",
            "Ideoiden kustannusarviot",
            "Äänestys",
            "Voittajien toteutus",
        ],
        "indicator": ("Äänestäneitä nuoria", "henkeä", 0, 2000, [0, 1200, 4180]),
        "journal": [
            "Äänestys on auki! Ensimmäisenä päivänä ääniä tuli 900, eniten Hervannan kouluista."
        ],
        "began": 26,
        "last": 12,
    },
    {
        "slug": "medborgarbudget-for-unga-jakobstad",
        "owner": "598",
        "lang": "sv",
        "reuse_of": "osallistuva-budjetointi-nuorille",
        "title": "Vad skulle du göra med 10 000 euro? Medborgarbudget för unga",
        "summary": "Unga i Jakobstad föreslog och röstade om hur ungdomstjänsternas 10 000 euro ska användas, på svenska och finska.",
        "problem": "Unga deltar inte i stadens hörande, och ungdomsfullmäktige når bara några få.",
        "hypothesis": "Med en verklig summa och röstning i telefonen deltar de unga, och idéerna förverkligas snabbt.",
        "stage": "ended",
        "outcome": "succeeded",
        "results": "94 idéer och 1 370 röster. Vinnaren, en utomhusscen vid Skolparken, byggdes på sex veckor.",
        "steps": [
            "Idéer i skolorna och på nätet",
            "Kostnadskalkyler för idéerna",
            "Röstning",
            "Vinnarna förverkligas",
        ],
        "indicator": ("Unga som röstade", "personer", 0, 800, [410, 1370]),
        "journal": [
            "Tammerfors material gick att använda nästan som det var. Vi lade till en finsk röstningssida, eftersom en tredjedel av eleverna är finskspråkiga."
        ],
        "began": 11,
        "last": 3,
    },
    {
        "slug": "osallistuva-budjetointi-lahti",
        "owner": "398",
        "lang": "fi",
        "reuse_of": "osallistuva-budjetointi-nuorille",
        "title": "Nuorten osallistuva budjetointi Lahdessa",
        "summary": "Lahti kokeilee Tampereen mallia: nuoret päättävät 10 000 eurosta, ja äänestys järjestetään oppitunneilla.",
        "stage": "planned",
        "needs": ["partners"],
        "began": 2,
        "last": 1,
    },
    {
        "slug": "lokalbokning-med-digitalt-las",
        "owner": "710",
        "lang": "sv",
        "reuse_of": "kirjaston-tilavaraus-ja-ovenavaus",
        "title": "Lokalbokning med digitalt lås i bybiblioteken",
        "summary": "Invånare och föreningar i Raseborg bokar bybibliotekens mötesrum på nätet, betalar och öppnar dörren med telefonen.",
        "problem": "Bybiblioteken i Pojo och Karis är öppna bara några timmar i veckan, fast föreningarna behöver rum på kvällarna.",
        "hypothesis": "Med digitalt lås och bokning används lokalerna också när biblioteket är stängt, utan extra personal.",
        "stage": "running",
        "steps": [
            "Ett mötesrum i Pojo",
            "Betalning",
            "Alla bybibliotek",
            "Skolornas gymnastiksalar",
        ],
        "indicator": ("Bokningar i månaden", "st", 6, 40, [9, 17, 24]),
        "journal": [
            "Kuopios lärdomar sparade oss månader: vi skrev avtalet med låsleverantören först. Första kvällen bokade scoutkåren rummet."
        ],
        "needs": ["test_users"],
        "began": 7,
        "last": 4,
    },
    {
        "slug": "koulujen-liikuntasalit-iltakayttoon",
        "owner": "765",
        "lang": "fi",
        "reuse_of": "kirjaston-tilavaraus-ja-ovenavaus",
        "title": "Koulujen liikuntasalit iltakäyttöön ilman avaimia",
        "summary": "Sotkamon koulujen liikuntasalit varataan verkossa, ja seurat avaavat oven puhelimella. Avainten kierrätys vahtimestarilta loppui.",
        "stage": "ended",
        "outcome": "succeeded",
        "results": "Salien iltavuorot lisääntyivät 35 %. Vahtimestarin iltakäynnit jäivät pois, ja kaksi uutta seuraa aloitti harjoitukset.",
        "steps": [
            "Vuokatin koulun sali",
            "Maksaminen mukaan",
            "Kaikki koulujen salit",
            "Kirjaston ryhmätilat",
        ],
        "indicator": ("Varaukset kuukaudessa", "kpl", 60, 90, [66, 78, 84, 81]),
        "began": 13,
        "last": 5,
    },
    {
        "slug": "digistod-pa-biblioteket-narpes",
        "owner": "545",
        "lang": "sv",
        "reuse_of": "digitala-invanartjanster-vasa",
        "title": "Digistöd i byarna med biblioteksbussen",
        "summary": "Biblioteksbussen tar med sig en digistödjare till byarna i Närpes, så att äldre får hjälp med e-tjänster nära hemmet.",
        "problem": "I Vasa nådde rådgivningen på huvudbiblioteket inte dem som behövde den mest. I Närpes bor de äldre i byarna, långt från centrum.",
        "hypothesis": "När rådgivningen kommer till byn når den också dem som aldrig använt e-tjänster.",
        "stage": "running",
        "steps": ["Två byar med biblioteksbussen", "Alla bussens hållplatser", "Hembesök i byarna"],
        "indicator": ("Personer som fått hjälp", "st", 0, 150, [18, 41, 63]),
        "journal": [
            "I Yttermark kom fjorton personer till bussen. Flera hade med sig grannen som ”aldrig vill lära sig”."
        ],
        "partners": ["novia"],
        "began": 6,
        "last": 4,
    },
    {
        "slug": "digituki-kirjastossa-savonlinna",
        "owner": "740",
        "lang": "fi",
        "reuse_of": "digitala-invanartjanster-vasa",
        "title": "Digituki kirjastossa ja palvelutaloissa",
        "summary": "Savonlinnan kirjasto ja vapaaehtoiset opastavat ikäihmisiä verkkoasioinnissa pääkirjastossa ja kahdessa palvelutalossa.",
        "stage": "ended",
        "outcome": "partly",
        "results": "Opastuksiin osallistui 210 ikäihmistä. Kaupungin neuvontaan tulleet puhelut vähenivät vain vähän, mutta palvelutaloissa opastus tavoitti uusia käyttäjiä.",
        "steps": ["Pääkirjasto kahdesti viikossa", "Palvelutalot", "Kotikäynnit"],
        "indicator": ("Puhelut neuvontaan viikossa", "kpl", 140, 100, [138, 131, 129, 126]),
        "began": 12,
        "last": 3,
    },
    {
        "slug": "etakokoukset-puolanka",
        "owner": "620",
        "lang": "fi",
        "reuse_of": "etakokoukset-lautakunnille",
        "title": "Etäkokoukset valtuustoon ja lautakuntiin",
        "summary": "Puolangalla luottamushenkilöt voivat osallistua kokouksiin etänä. Kunnan pisimmät matkat kokouksiin ovat yli 60 kilometriä.",
        "stage": "evaluated",
        "outcome": "succeeded",
        "results": "Varajäseniä tarvittiin puolet vähemmän. Matkakorvauksiin kului 4 800 euroa vähemmän vuodessa.",
        "lessons": "Hyvä mikrofoni valtuustosaliin oli tärkein hankinta. Helsingin ohje puheenvuorojen jakamisesta toimi sellaisenaan.",
        "steps": ["Yksi lautakunta kokeilee", "Sähköinen allekirjoitus", "Valtuusto"],
        "indicator": ("Läsnäoloprosentti", "%", 81, 95, [88, 93, 96]),
        "began": 15,
        "last": 5,
    },
    {
        "slug": "etaosallistuminen-utsjoki",
        "owner": "890",
        "lang": "fi",
        "reuse_of": "etakokoukset-lautakunnille",
        "title": "Etäosallistuminen lautakuntiin ja kyläkokouksiin",
        "summary": "Utsjoella lautakuntiin ja kyläkokouksiin voi osallistua etänä Nuorgamista ja Karigasniemeltä. Kokousmateriaalit myös pohjoissaameksi.",
        "stage": "running",
        "steps": ["Sivistyslautakunta kokeilee", "Kyläkokoukset", "Valtuusto"],
        "indicator": ("Etäosallistujia kokouksessa", "henkeä", 0, 8, [3, 5, 6]),
        "journal": [
            "Nuorgamin kylätalon yhteys pätki, joten kokeilimme mobiiliverkkoa. Se toimi paremmin."
        ],
        "needs": ["mentors"],
        "began": 8,
        "last": 5,
    },
    {
        "slug": "lumenaurauksen-karttapalvelu",
        "owner": "564",
        "lang": "fi",
        "title": "Missä aura nyt menee? Lumenaurauksen karttapalvelu",
        "summary": "Oulun aurausautojen sijainti ja auratut kadut näkyvät kartalla verkossa, joten asukkaan ei tarvitse soittaa kysyäkseen.",
        "problem": "Lumisina päivinä kadunpidon puhelin soi satoja kertoja, ja useimmat kysyvät vain, milloin oma katu aurataan.",
        "hypothesis": "Kun aurauksen eteneminen näkyy kartalla, puhelut vähenevät ja palaute kohdistuu oikeisiin paikkoihin.",
        "themes": ["mobility", "data-systems"],
        "groups": ["residents"],
        "stage": "evaluated",
        "outcome": "succeeded",
        "results": "Puhelut lumisina päivinä vähenivät 120:sta noin 40:een. Karttaa katsottiin talven aikana 210 000 kertaa.",
        "lessons": "Avaa sijaintitieto myös rajapintana: kaksi sovelluskehittäjää teki siitä omat palvelunsa viikossa. Aurausjärjestys kannattaa selittää kartalla, muuten jono näyttää epäreilulta.",
        "steps": [
            "Aurausautojen sijainti kartalle",
            "Auratut kadut värikoodein",
            "Avoin rajapinta",
        ],
        "indicator": ("Puhelut lumisena päivänä", "kpl", 120, 50, [96, 71, 52, 41]),
        "journal": [
            "Ensimmäinen lumipyry kartan kanssa: 18 000 katselukertaa yhdessä illassa. Puhelimessa kysyttiin enää aurausjärjestystä."
        ],
        "began": 21,
        "last": 7,
    },
    {
        "slug": "joukkoliikenteen-sijaintitieto",
        "owner": "698",
        "lang": "fi",
        "title": "Kutsuliikenteen reaaliaikainen sijaintitieto",
        "summary": "Rovaniemen kylien kutsuliikenteen autot näkyivät sovelluksessa, jotta matkustaja tietää, milloin kyyti saapuu.",
        "problem": "Kaupunki on kuin erämaahan upotettu saarivaltakunta: kylistä keskustaan on kymmeniä kilometrejä, ja kutsutaksia odotetaan tienvarressa pakkasessa.",
        "hypothesis": "Kun auton sijainti näkyy, odottaminen lyhenee ja kutsuliikenteen käyttö kasvaa.",
        "themes": ["mobility", "data-systems"],
        "groups": ["residents", "elderly"],
        "stage": "ended",
        "outcome": "stopped_early",
        "results": "Kokeilu keskeytettiin neljän kuukauden jälkeen: liikennöitsijän järjestelmä vaihtui, eikä uudesta saatu sijaintitietoa. Siihen asti sovellusta käytti 180 matkustajaa.",
        "steps": ["Kaksi kutsuliikennereittiä", "Kaikki kylät"],
        "indicator": ("Sovelluksen käyttäjiä", "henkeä", 0, 500, [60, 140, 180]),
        "journal": [
            "Liikennöitsijä ilmoitti järjestelmän vaihdosta. Sijaintitieto katkeaa maaliskuussa, emmekä tiedä, saadaanko sitä uudesta."
        ],
        "began": 9,
        "last": 2,
    },
    {
        "slug": "kutsuliikenne-sovelluksella",
        "owner": "892",
        "lang": "fi",
        "title": "Kutsuliikenteen tilaus sovelluksella tai puhelimella",
        "summary": "Uuraisten kutsuliikenteen kyydin voi tilata sovelluksella, tekstiviestillä tai puhelimella, ja kyydit yhdistellään samaan autoon.",
        "problem": "Kutsutaksi tilataan edellisenä päivänä puhelimella virka-aikana. Moni ikäihminen jää kotiin, koska tilaaminen on hankalaa.",
        "hypothesis": "Kun kyydin voi tilata samana päivänä monella tavalla, kutsuliikenteen käyttö kasvaa ja kustannus kyytiä kohden laskee.",
        "themes": ["mobility", "wellbeing"],
        "groups": ["elderly", "residents"],
        "stage": "running",
        "steps": ["Tilaus tekstiviestillä", "Sovellus", "Kyytien yhdistely"],
        "indicator": ("Kyytejä viikossa", "kpl", 35, 60, [38, 44, 51]),
        "journal": [
            "Tekstiviestitilaus oli selvästi suosituin: 70 % tilauksista tuli tekstiviestillä, sovelluksella vain 10 %."
        ],
        "needs": ["test_users"],
        "began": 9,
        "last": 5,
    },
    {
        "slug": "rakennusvalvonnan-neuvontabotti",
        "owner": "853",
        "lang": "fi",
        "title": "Rakennusvalvonnan neuvontabotti",
        "summary": "Turun rakennusvalvonta kokeili tekoälybottia, joka vastaa asukkaiden kysymyksiin luvan tarpeesta ja hakemisesta.",
        "problem": "Rakennusvalvonnan neuvontapuhelin on ruuhkainen, ja puolet kysymyksistä koskee sitä, tarvitseeko esimerkiksi aitaan tai katokseen luvan.",
        "hypothesis": "Botti vastaa tavallisimpiin kysymyksiin oikein ja vapauttaa tarkastajien aikaa vaativampaan neuvontaan.",
        "themes": ["automation", "e-services"],
        "groups": ["residents", "businesses"],
        "events": ["LE-HOUSING"],
        "stage": "ended",
        "outcome": "did_not_succeed",
        "results": "Botti vastasi väärin noin joka viidenteen kysymykseen, usein varmalla äänellä. Kokeilu lopetettiin, ettei kukaan rakenna väärän vastauksen varaan.",
        "steps": ["Botti sisäisessä testissä", "Botti verkkosivulla"],
        "indicator": ("Oikeat vastaukset", "%", 0, 95, [74, 79, 81]),
        "journal": [
            "Testiviikon havainto: botti sekoittaa Turun rakennusjärjestyksen muiden kuntien ohjeisiin. Kysymykseen katoksesta se antoi Espoon vastauksen."
        ],
        "began": 10,
        "last": 1,
    },
    {
        "slug": "tyollisyyspalvelujen-chat",
        "owner": "853",
        "lang": "fi",
        "title": "Työllisyyspalvelujen chat kahdella kielellä",
        "summary": "Turun työllisyyspalvelut neuvovat työnhakijoita chatissa suomeksi ja ruotsiksi. Kunnat vastaavat työllisyyspalveluista vuoden 2025 alusta.",
        "problem": "TE-palvelujen siirryttyä kuntaan puhelinjonot pitenivät, ja ruotsinkielistä palvelua oli saatavilla vain muutamana päivänä viikossa.",
        "hypothesis": "Chat lyhentää jonoja ja antaa ruotsinkielisille palvelun omalla kielellään joka päivä.",
        "themes": ["e-services", "vitality"],
        "groups": ["residents", "immigrants"],
        "events": ["LE-WORK"],
        "stage": "running",
        "steps": ["Chat arkipäivisin suomeksi", "Ruotsinkielinen chat", "Englanninkielinen chat"],
        "indicator": ("Keskimääräinen jonotus puhelimessa", "min", 24, 10, [21, 17, 14]),
        "journal": [
            "Ensimmäisellä viikolla chatissa käytiin 640 keskustelua. Kolmannes koski työttömyysetuuden ilmoituksia, jotka kuuluvat Kelalle – lisäsimme suoran linkin."
        ],
        "began": 7,
        "last": 4,
    },
    {
        "slug": "omatoimikirjasto-kylakouluun",
        "owner": "491",
        "lang": "fi",
        "title": "Omatoimikirjasto kyläkoulun yhteyteen",
        "summary": "Mikkelin Haukivuoren kyläkoulun kirjasto on auki omatoimisesti aamusta iltaan kirjastokortilla ja PIN-koodilla.",
        "problem": "Kyläkirjasto oli auki kahtena iltapäivänä viikossa, ja lainaus väheni vuosi vuodelta.",
        "hypothesis": "Omatoiminen aukiolo tuo kirjaston käyttäjät takaisin ilman lisähenkilöstöä.",
        "themes": ["culture-leisure", "facilities"],
        "groups": ["residents", "families"],
        "stage": "evaluated",
        "outcome": "succeeded",
        "results": "Aukioloaika kasvoi 8 tunnista 78 tuntiin viikossa. Lainaus kasvoi 40 %, eikä ilkivaltaa ole ollut.",
        "lessons": "Kylän ihmiset kannattaa ottaa mukaan sääntöjen laatimiseen. Kameravalvonnasta kerrottiin avoimesti, ja se lisäsi luottamusta.",
        "steps": [
            "Kulunvalvonta ja kamerat",
            "Omatoimiaika iltaisin",
            "Omatoimiaika myös viikonloppuisin",
        ],
        "indicator": ("Lainoja kuukaudessa", "kpl", 410, 550, [470, 530, 575, 590]),
        "began": 20,
        "last": 6,
    },
    {
        "slug": "sahkoinen-avustushaku-yhdistyksille",
        "owner": "491",
        "lang": "fi",
        "title": "Yhdistysavustukset haettaviksi verkossa",
        "summary": "Mikkelin yhdistykset hakevat toiminta-avustukset verkkolomakkeella, ja päätökset tulevat sähköisesti.",
        "problem": "Avustushakemukset tulevat paperilla ja sähköpostilla, liitteitä puuttuu, ja käsittely vie kuukausia.",
        "hypothesis": "Verkkolomake, joka ei päästä puutteellista hakemusta läpi, lyhentää käsittelyn kolmeen viikkoon.",
        "themes": ["e-services", "culture-leisure"],
        "groups": ["associations"],
        "stage": "running",
        "steps": ["Lomake liikuntajärjestöille", "Kaikki avustuslajit"],
        "indicator": ("Käsittelyaika", "päivää", 75, 21, [60, 38]),
        "needs": ["test_users"],
        "began": 6,
        "last": 3,
    },
    {
        "slug": "pahvilaatikkoprototyyppi-asiointi",
        "owner": "398",
        "lang": "fi",
        "title": "Täydellinen palvelu viidelle asiakkaalle",
        "summary": "Lahti rakensi muuttoilmoituksesta kaikki kunnan palvelut yhdistävän palvelun ensin viidelle asiakkaalle käsin, ”pahvilaatikkotyyliin”.",
        "problem": "Muuttaja ilmoittaa muutostaan erikseen päivähoitoon, kouluun, vesilaitokselle ja jätehuoltoon.",
        "hypothesis": "Kun palvelu toteutetaan ensin käsin muutamalle asiakkaalle, nähdään, mitä kannattaa automatisoida, ennen kuin mitään hankitaan.",
        "themes": ["e-services", "automation"],
        "groups": ["families", "residents"],
        "events": ["LE-MOVE"],
        "stage": "ended",
        "outcome": "partly",
        "results": "Viisi perhettä sai kaikki muuton asiat hoidettua yhdellä ilmoituksella. Automatisoitavaksi löytyi kolme vaihetta, mutta tietosuojan vuoksi päivähoito jäi käsin tehtäväksi.",
        "steps": ["Viisi muuttajaperhettä", "Mitä voi automatisoida"],
        "journal": [
            "Kolmas perhe muutti. Virkailija hoiti taustalla kuusi ilmoitusta, ja perhe näki vain yhden lomakkeen."
        ],
        "began": 11,
        "last": 4,
    },
    {
        "slug": "tietojarjestelmaluettelo-avoimeksi",
        "owner": "091",
        "lang": "fi",
        "title": "Kaupungin tietojärjestelmäluettelo avoimeksi dataksi",
        "summary": "Helsinki julkaisi tietojärjestelmiensä luettelon avoimena datana: järjestelmät, toimittajat, rajapinnat ja käyttäjät.",
        "problem": "Kunnat eivät tiedä, mitä järjestelmiä muut käyttävät, eivätkä voi hankkia yhdessä tai oppia toistensa kokemuksista.",
        "hypothesis": "Avoin luettelo auttaa muita kuntia hankinnoissa ja paljastaa päällekkäiset järjestelmät omassa organisaatiossa.",
        "themes": ["data-systems", "management"],
        "groups": ["staff"],
        "stage": "evaluated",
        "outcome": "succeeded",
        "results": "Luettelossa on 612 järjestelmää. Kuusi kuntaa on käyttänyt sitä hankintojensa pohjana, ja kaupunki löysi 14 päällekkäistä järjestelmää.",
        "lessons": "Pelko virheistä kuvauksissa oli turha: ulkopuoliset korjasivat virheitä nopeammin kuin itse olisimme ehtineet.",
        "steps": ["Luettelon kokoaminen", "Julkaisu avoimena datana", "Rajapinta"],
        "indicator": ("Kuvattuja järjestelmiä", "kpl", 0, 600, [240, 480, 612]),
        "began": 23,
        "last": 10,
    },
    {
        "slug": "arvottu-kuntaraati-verkossa",
        "owner": "638",
        "lang": "fi",
        "title": "Arvottu kuntaraati verkossa",
        "summary": "Porvoo arpoi 30 asukasta kuntaraatiin pohtimaan keskustan liikennettä. Raati kokoontuu verkossa ja kerran kaupungintalolla, suomeksi ja ruotsiksi.",
        "problem": "Kuulemistilaisuuksiin tulevat samat aktiivit, eikä päättäjille välity tavallisten asukkaiden näkemys.",
        "hypothesis": "Arvottu raati tuo mukaan ihmisiä, jotka eivät koskaan osallistu, ja sen suositukset ovat päättäjille uskottavia.",
        "themes": ["participation"],
        "groups": ["residents"],
        "stage": "running",
        "steps": ["Arvonta ja kutsut", "Neljä verkkotapaamista", "Suositukset valtuustolle"],
        "indicator": ("Raatilaisia mukana", "henkeä", 0, 30, [27, 26]),
        "journal": [
            "Kutsun sai 1 000 arvottua asukasta, ja ilmoittautuneista arvottiin 30. Ruotsinkielisiä on raadissa yhdeksän."
        ],
        "began": 5,
        "last": 3,
    },
    {
        "slug": "tvasprakig-chatt-i-kundtjansten",
        "owner": "638",
        "lang": "sv",
        "title": "Tvåspråkig chatt i kundtjänsten",
        "summary": "Borgå stads kundtjänst svarar i chatten på svenska och finska samma dag, med svar som granskas av en kollega.",
        "problem": "Svenskspråkiga invånare får vänta längre på svar, eftersom bara några i kundtjänsten skriver svenska.",
        "hypothesis": "Med färdiga svar på båda språken och kollegial granskning blir svarstiderna lika långa på båda språken.",
        "themes": ["e-services"],
        "groups": ["residents"],
        "stage": "planned",
        "steps": ["Färdiga svar på båda språken", "Chatten öppnas"],
        "needs": ["partners"],
        "began": 3,
        "last": 2,
    },
    {
        "slug": "skolskjutsar-med-oppna-data",
        "owner": "545",
        "lang": "sv",
        "title": "Skolskjutsarna planeras med öppna data",
        "summary": "Närpes planerar skolskjutsarnas rutter med öppna vägdata och elevernas adresser, och föräldrarna ser hållplatsen på kartan.",
        "problem": "Rutterna planerades för hand, och varje höst gick veckor åt till att rätta dem.",
        "hypothesis": "Med öppna data och ett planeringsverktyg blir rutterna kortare och föräldrarna får besked i tid.",
        "themes": ["education", "mobility", "data-systems"],
        "groups": ["families"],
        "stage": "evaluated",
        "outcome": "succeeded",
        "results": "Den sammanlagda körsträckan minskade med 11 %, och alla familjer fick hållplatsen klar två veckor före skolstarten.",
        "lessons": "Föräldrarna litade mer på kartan än på brevet. Vägdata behövde rättas på några skogsvägar: fråga chaufförerna först.",
        "steps": ["Rutterna i Övermark", "Alla skolor"],
        "indicator": ("Körsträcka per skoldag", "km", 2400, 2150, [2310, 2190, 2135]),
        "journal": [
            "Chaufförerna hittade tre vägar som inte längre går att köra på vintern. Vi rättade vägdata och delade rättelserna."
        ],
        "began": 18,
        "last": 6,
    },
    {
        "slug": "distansundervisning-i-skargarden",
        "owner": "478",
        "lang": "sv",
        "title": "Distansundervisning i språk för skärgårdsskolorna",
        "summary": "Lärare i Mariehamn undervisar elever i skärgårdsskolorna på distans i tyska och franska, som skolorna annars inte kan erbjuda.",
        "problem": "Skärgårdsskolorna har några elever per årskurs och kan inte anställa lärare i valfria språk.",
        "hypothesis": "Distanslektioner med en lärare och en handledare på plats ger eleverna samma språkval som i staden.",
        "themes": ["education"],
        "groups": ["young", "families"],
        "stage": "running",
        "steps": ["Tyska för åk 7 i Kökar och Föglö", "Franska"],
        "indicator": ("Elever i distansgrupperna", "st", 0, 20, [7, 12]),
        "journal": [
            "Första lektionen: ljudet fungerade, men eleverna i Kökar ville se varandra. Nu har varje skola en egen kamera mot klassen."
        ],
        "places": ["318", "062"],
        "began": 5,
        "last": 3,
    },
    {
        "slug": "foreningsbidrag-pa-natet-mariehamn",
        "owner": "478",
        "lang": "sv",
        "title": "Föreningsbidrag ansöks och redovisas på nätet",
        "summary": "Idé: Mariehamns föreningar ansöker om bidrag och redovisar dem i samma e-tjänst, och beslutet kommer som ett meddelande.",
        "themes": ["e-services", "culture-leisure"],
        "groups": ["associations"],
        "stage": "idea",
        "needs": ["partners"],
        "began": 1,
        "last": 1,
    },
    {
        "slug": "lahiluontokartta-asukkaille",
        "owner": "698",
        "lang": "fi",
        "title": "Lähiluontokartta, jota asukkaat täydentävät",
        "summary": "Idea: rovaniemeläiset merkitsevät kartalle lähimetsien polut, laavut ja hiihtoladut, ja kaupunki huoltaa suosituimpia.",
        "themes": ["environment", "culture-leisure"],
        "groups": ["residents", "families"],
        "stage": "idea",
        "needs": ["partners", "funding"],
        "began": 2,
        "last": 2,
    },
    {
        "slug": "vesimittarien-etaluenta",
        "owner": "740",
        "lang": "fi",
        "title": "Vesimittarien etäluenta kesämökeille",
        "summary": "Savonlinnan vesihuollon mittarit luetaan etänä, ja asukas saa viestin, jos kulutus kasvaa yöllä: vuoto huomataan ajoissa.",
        "problem": "Kesämökkien vuodot huomataan vasta keväällä, kun lasku tulee. Mittarilukemat ilmoitetaan itse, ja kolmannes jää ilmoittamatta.",
        "hypothesis": "Etäluenta ja vuotohälytys vähentävät vesivahinkoja ja arviolaskutusta.",
        "themes": ["environment", "data-systems"],
        "groups": ["summer-residents", "residents"],
        "stage": "running",
        "steps": ["200 mittaria kokeiluun", "Vuotohälytys tekstiviestillä"],
        "indicator": ("Havaitut vuodot", "kpl", 0, 30, [4, 11, 19]),
        "journal": [
            "Ensimmäinen vuotohälytys tuli tammikuussa Sulkavantien mökiltä. Omistaja ehti sulkea veden ennen kuin putki halkesi kokonaan."
        ],
        "began": 13,
        "last": 8,
    },
    {
        "slug": "katuvalojen-vikailmoitus-kartalta",
        "owner": "297",
        "lang": "fi",
        "title": "Katuvalojen vikailmoitus kartalta",
        "summary": "Kuopiolainen ilmoittaa pimeästä katuvalosta kartalla, ja ilmoitus menee suoraan urakoitsijalle. Ilmoittaja näkee, milloin vika on korjattu.",
        "problem": "Vikailmoitukset tulevat puhelimella ja sähköpostilla, sama vika ilmoitetaan moneen kertaan, eikä ilmoittaja saa tietoa korjauksesta.",
        "hypothesis": "Kartta näyttää jo ilmoitetut viat, joten päällekkäiset ilmoitukset vähenevät ja korjaus nopeutuu.",
        "themes": ["e-services", "mobility"],
        "groups": ["residents"],
        "stage": "running",
        "steps": ["Kartta Petosen alueelle", "Koko kaupunki"],
        "indicator": ("Korjausaika", "päivää", 14, 5, [11, 8]),
        "needs": ["test_users"],
        "began": 4,
        "last": 2,
    },
    {
        "slug": "asukaspalautteen-automaattinen-ohjaus",
        "owner": "837",
        "lang": "fi",
        "title": "Asukaspalautteen automaattinen ohjaus käsittelijälle",
        "summary": "Tampereen palautejärjestelmä ehdottaa tekstin perusteella, kenelle palaute kuuluu. Ihminen tarkistaa ehdotuksen ennen lähettämistä.",
        "problem": "Palautteita tulee 60 000 vuodessa, ja niiden ohjaaminen oikealle vastaajalle vie kahden henkilön työajan.",
        "hypothesis": "Ehdotus oikeasta käsittelijästä nopeuttaa ohjausta, kun ihminen päättää ja kone vain ehdottaa.",
        "themes": ["automation", "e-services"],
        "groups": ["staff", "residents"],
        "stage": "running",
        "steps": ["Ehdotukset katu- ja puistopalautteille", "Kaikki palautteet"],
        "indicator": ("Oikeat ehdotukset", "%", 0, 85, [71, 78, 83]),
        "journal": [
            "Ohjaajat hyväksyvät nyt neljä ehdotusta viidestä sellaisenaan. Virheet liittyvät useimmiten palautteisiin, joissa on monta asiaa."
        ],
        "began": 8,
        "last": 5,
    },
    {
        "slug": "sommarjobb-for-unga-pa-natet",
        "owner": "598",
        "lang": "sv",
        "title": "Sommarjobb för unga söks på nätet",
        "summary": "Unga i Jakobstad söker stadens sommarjobb och sommarsedeln i en e-tjänst på svenska och finska, och får besked per sms.",
        "problem": "Ansökan gjordes på papper, och många unga missade tiden eftersom informationen gick via skolornas anslagstavlor.",
        "hypothesis": "En mobilvänlig ansökan och sms-besked får fler unga att söka, också de som inte har kontakter.",
        "themes": ["vitality", "e-services"],
        "groups": ["young"],
        "events": ["LE-WORK"],
        "stage": "evaluated",
        "outcome": "succeeded",
        "results": "Antalet sökande ökade från 180 till 310. Sommarsedeln användes av 46 företag, jämfört med 19 året innan.",
        "lessons": "Sms-beskedet var viktigare än själva ansökan: de unga läser inte e-post. Företagen behövde en egen enkel sida om sommarsedeln.",
        "steps": ["E-tjänst för ansökan", "Sms-besked", "Sommarsedeln för företag"],
        "indicator": ("Sökande unga", "st", 180, 260, [240, 310]),
        "began": 16,
        "last": 7,
    },
    {
        "slug": "uimahallin-ruuhkatieto-verkkoon",
        "owner": "564",
        "lang": "fi",
        "title": "Uimahallin ruuhkatieto verkkoon",
        "summary": "Oulun uimahallien kävijämäärä näkyy verkossa reaaliajassa, jotta uimaan voi lähteä hiljaiseen aikaan.",
        "themes": ["culture-leisure", "data-systems"],
        "groups": ["residents", "families"],
        "stage": "planned",
        "steps": ["Raatin uimahalli", "Kaikki uimahallit"],
        "began": 2,
        "last": 1,
    },
    {
        "slug": "kesaasukkaiden-jatehuoltoviestit",
        "owner": "507",
        "lang": "fi",
        "title": "Kesäasukkaiden jätehuolto- ja tiedotusviestit tekstiviestinä",
        "summary": "Mäntyharjun kesäasukkaat saavat tekstiviestillä tiedon jäteastioiden tyhjennyksestä, vesikatkoista ja kesän tapahtumista. Kutsu kulkee kesämökkiyhdistyksen kautta.",
        "problem": "Edellisessä kokeilussa kunnan verkkosivu ei tavoittanut kesäasukkaita. Heidän yhteystietojaan ei ole kunnalla.",
        "hypothesis": "Kun kesämökkiyhdistys kutsuu jäsenensä ja viestit ovat hyödyllisiä, kesäasukkaat liittyvät ja vastaavat myöhemmin myös kyselyihin.",
        "themes": ["participation", "environment"],
        "groups": ["summer-residents"],
        "stage": "running",
        "steps": ["Kutsu yhdistyksen jäsenkirjeessä", "Viestit kesän ajan", "Kysely syksyllä"],
        "indicator": ("Viesteihin liittyneitä", "henkeä", 0, 2000, [420, 980, 1540]),
        "journal": [
            "Kesämökkiläisten jäsenkirjeen jälkeen liittyjiä tuli viikossa 400 – enemmän kuin koko edellisessä kokeilussa."
        ],
        "partners": ["kesamokkilaiset-ry"],
        "began": 8,
        "last": 5,
    },
    {
        "slug": "digitala-anslagstavlor-i-byarna",
        "owner": "710",
        "lang": "sv",
        "title": "Digitala anslagstavlor i byarna",
        "summary": "Idé: en skärm i byabutiken eller på bytorget i Raseborg visar kommunens meddelanden, föreningarnas evenemang och bussarnas avgångar.",
        "themes": ["participation", "culture-leisure"],
        "groups": ["residents", "associations"],
        "stage": "idea",
        "needs": ["partners", "funding"],
        "began": 1,
        "last": 1,
    },
    {
        "slug": "flersprakig-radgivning-for-inflyttade",
        "owner": "905",
        "lang": "sv",
        "title": "Flerspråkig rådgivning för inflyttade",
        "summary": "Vasa erbjuder inflyttade rådgivning om kommunens tjänster på videosamtal på arabiska, ukrainska och engelska, med tolk vid behov.",
        "problem": "Nya invånare vet inte vilka tjänster kommunen har, och servicepunkten har tolk bara några timmar i veckan.",
        "hypothesis": "Videorådgivning med tolk når fler och minskar antalet ärenden som blir fel första gången.",
        "themes": ["e-services", "wellbeing"],
        "groups": ["immigrants"],
        "events": ["LE-MOVE-TO-FI"],
        "stage": "running",
        "steps": ["Ukrainska och engelska", "Arabiska"],
        "indicator": ("Rådgivningssamtal i månaden", "st", 0, 120, [34, 61, 88]),
        "journal": [
            "De flesta frågade om daghem och skolplats. Vi gör en kort video om hur man ansöker, på alla tre språken."
        ],
        "began": 7,
        "last": 4,
    },
    {
        "slug": "kunnan-digitiekartta-valtuustolle",
        "owner": "620",
        "lang": "fi",
        "title": "Kunnan digitiekartta yhdessä valtuuston kanssa",
        "summary": "Idea: Puolanka laatii oman digitiekarttansa kuntastrategiasta lähtien – mitä digitalisoidaan ensin omilla resursseilla ja mitä yhdessä naapurikuntien kanssa.",
        "themes": ["management", "data-systems"],
        "groups": ["elected-officials", "staff"],
        "stage": "idea",
        "needs": ["mentors"],
        "began": 1,
        "last": 1,
    },
    {
        "slug": "saamenkieliset-lomakkeet-verkkoasiointiin",
        "owner": "890",
        "lang": "fi",
        "title": "Saamenkieliset lomakkeet verkkoasiointiin",
        "summary": "Utsjoki kääntää kymmenen käytetyintä verkkolomaketta pohjois-, inarin- ja koltansaameksi ja testaa ne kuntalaisten kanssa.",
        "problem": "Saamelaisalueella asioinnin pitäisi onnistua saameksi, mutta verkkolomakkeet ovat vain suomeksi.",
        "hypothesis": "Kun lomakkeet ovat saameksi, saamenkieliset käyttävät verkkoasiointia ja kielellisten oikeuksien toteutuminen paranee.",
        "themes": ["e-services", "participation"],
        "groups": ["residents"],
        "stage": "planned",
        "steps": ["Kolme lomaketta pohjoissaameksi", "Inarin- ja koltansaame"],
        "needs": ["partners", "test_users"],
        "began": 3,
        "last": 2,
    },
    {
        "slug": "matkailijoiden-ja-asukkaiden-palautekartta",
        "owner": "765",
        "lang": "fi",
        "title": "Matkailijoiden ja asukkaiden yhteinen palautekartta",
        "summary": "Idea: Vuokatin matkailijat ja sotkamolaiset antavat palautetta reiteistä, pysäköinnistä ja jätepisteistä samalla kartalla.",
        "themes": ["vitality", "environment"],
        "groups": ["residents", "businesses"],
        "stage": "idea",
        "needs": ["funding"],
        "began": 9,
        "last": 9,
    },
    # Not public: the front page, the case bank and the API must never show these.
    {
        "slug": "henkiloston-tekoalyavustaja",
        "owner": "091",
        "lang": "fi",
        "title": "Henkilöstön tekoälyavustaja päätösten valmisteluun",
        "summary": "Sisäinen kokeilu: tekoäly tiivistää lausuntoja ja ehdottaa päätösten perusteluja valmistelijoille. Vain kaupungin henkilöstölle.",
        "themes": ["automation", "management"],
        "groups": ["staff"],
        "stage": "running",
        "visibility": Visibility.MEMBERS,
        "began": 4,
        "last": 2,
    },
    {
        "slug": "kesatyoseteli-verkkoon-luonnos",
        "owner": "297",
        "lang": "fi",
        "title": "Kesätyöseteli verkkoon",
        "summary": "Luonnos: nuoret hakevat kesätyösetelin verkossa ja yritykset ilmoittavat kesätyöpaikat samassa palvelussa.",
        "themes": ["vitality"],
        "groups": ["young", "businesses"],
        "stage": "idea",
        "visibility": Visibility.DRAFT,
        "began": 0,
        "last": 0,
    },
    {
        "slug": "chatbot-for-daghemsansokan-utkast",
        "owner": "905",
        "lang": "sv",
        "title": "Chatbot för daghemsansökan",
        "summary": "Utkast: en chatbot svarar på föräldrarnas frågor om daghemsansökan på svenska och finska.",
        "themes": ["automation", "education"],
        "groups": ["families"],
        "stage": "idea",
        "visibility": Visibility.DRAFT,
        "began": 0,
        "last": 0,
    },
]


@dataclass
class Loaded:
    """What the demo made of one entry, for the funding round and the month's experiment."""

    experiment: Experiment
    created: bool


def _moment(months_ago: float, today: date, hour: int = 10) -> datetime:
    day = today - timedelta(days=round(months_ago * 30.4))
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _schedule(data: dict[str, Any], today: date) -> list[datetime]:
    """When the experiment was created and when it reached each later stage, evenly between
    ``began`` and ``last`` months ago."""
    moves = STAGES.index(data["stage"])
    began, last = data["began"], data["last"]
    if moves == 0:
        return [_moment(began, today)]
    step = (began - last) / moves
    return [_moment(began - step * n, today, hour=9 + n) for n in range(moves + 1)]


def _create(data: dict[str, Any], lead: User, owner: Organisation) -> Experiment:
    fields = {
        "title": data["title"],
        "summary": data["summary"],
        "problem": data.get("problem", ""),
        "hypothesis": data.get("hypothesis", ""),
        "language": data["lang"],
    }
    if data.get("reuse_of"):
        original = Experiment.objects.get(slug=data["reuse_of"])
        copy = services.experiment_reuse(original=original, owner=owner, by=lead)
        fields = {name: value for name, value in fields.items() if value}
        experiment = services.experiment_update(experiment=copy, by=lead, **fields)
        services.experiment_publish(
            experiment=experiment, by=lead, visibility=data.get("visibility", Visibility.PUBLIC)
        )
        return experiment
    experiment = services.experiment_create(
        by=lead,
        owner=owner,
        themes=list(Theme.objects.filter(slug__in=data.get("themes", []))),
        target_groups=list(TargetGroup.objects.filter(slug__in=data.get("groups", []))),
        life_events=list(LifeEvent.objects.filter(code__in=data.get("events", []))),
        visibility=data.get("visibility", Visibility.PUBLIC),
        **fields,
    )
    return experiment


def _step_status(data: dict[str, Any], position: int, count: int) -> str:
    """Done once the experiment has ended (the last one dropped if it stopped early); while it
    runs, the steps before the last are done and the last is running."""
    stage = STAGES.index(data["stage"])
    if stage >= STAGES.index(Status.ENDED):
        last = position == count - 1
        stopped = last and data.get("outcome") == Outcome.STOPPED_EARLY
        return StepStatus.DROPPED if stopped else StepStatus.DONE
    if stage == STAGES.index(Status.RUNNING):
        return StepStatus.RUNNING if position == count - 1 else StepStatus.DONE
    return StepStatus.PLANNED


def _steps_and_indicator(
    experiment: Experiment, data: dict[str, Any], dates: list[datetime], lead: User
) -> None:
    existing = list(experiment.steps.all())  # a reuse's copies: renamed in its language
    titles = data.get("steps", [])
    for position, title in enumerate(titles):
        step = existing[position] if position < len(existing) else None
        status = _step_status(data, position, len(titles))
        services.step_save(experiment=experiment, step=step, title=title, status=status)
    if not data.get("indicator"):
        return
    name, unit, baseline, target, values = data["indicator"]
    indicator = experiment.indicators.first()
    indicator = services.indicator_save(
        experiment=experiment,
        indicator=indicator,
        name=name,
        unit=unit,
        baseline=Decimal(baseline),
        target=Decimal(target),
    )
    running = dates[min(2, len(dates) - 1)].date()
    today = timezone.localdate()
    for month, value in enumerate(values):
        services.measurement_add(
            indicator=indicator,
            measured_on=min(running + timedelta(days=30 * month), today),
            value=Decimal(value),
            by=lead,
        )


def _move(experiment: Experiment, data: dict[str, Any], lead: User, *, upto: str) -> None:
    for stage in STAGES[STAGES.index(experiment.status) + 1 : STAGES.index(upto) + 1]:
        ending, evaluating = stage == Status.ENDED, stage == Status.EVALUATED
        services.experiment_transition(
            experiment=experiment,
            to=stage,
            by=lead,
            results=data.get("results") if ending else None,
            outcome=data.get("outcome") if ending else None,
            lessons=data.get("lessons") if evaluating else None,
        )


def _backdate(experiment: Experiment, data: dict[str, Any], dates: list[datetime]) -> None:
    """Move what the services stamped "now" to when it happened (demo data only)."""
    created, last = dates[0], dates[-1]
    transitions = list(experiment.transitions.order_by("pk").values_list("pk", flat=True))
    for pk, moment in zip(transitions, dates, strict=False):
        Transition.objects.filter(pk=pk).update(at=moment)
    # The journal is written while it runs: between its start and its end (or now).
    started = dates[2] if len(dates) > 2 else created
    ended = dates[3] if len(dates) > 3 else max(last, timezone.now() - timedelta(days=7))
    journal = list(experiment.journal.order_by("pk").values_list("pk", flat=True))
    for n, pk in enumerate(journal):
        moment = started + timedelta(days=6) + (ended - started) * n / len(journal)
        JournalEntry.objects.filter(pk=pk).update(created_at=moment, updated_at=moment)
    Measurement.objects.filter(indicator__experiment=experiment).update(recorded_at=last)
    published = experiment.published_at and created
    starts_on = dates[2].date() if len(dates) > 2 else None
    ends_on = dates[3].date() if len(dates) > 3 else None
    Experiment.objects.filter(pk=experiment.pk).update(
        created_at=created,
        published_at=published,
        updated_at=last,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    if ends_on:
        for follow_up in experiment.follow_ups.all():
            follow_up.due_on = ends_on + timedelta(days=round(follow_up.months * 30.44))
            follow_up.save(update_fields=["due_on"])


def load_demo_experiments(leads: dict[str, User], today: date | None = None) -> dict[str, Loaded]:
    """Every demo experiment by slug: made now by its municipality's lead, or found."""
    today = today or timezone.localdate()
    loaded: dict[str, Loaded] = {}
    # "Spread" needs a reuse by another organisation (experiments/lifecycle.py): those moves
    # wait until every experiment, the reuses too, has been made.
    spreading: list[tuple[Experiment, dict[str, Any], list[datetime], User]] = []
    for data in EXPERIMENTS:
        found = Experiment.objects.filter(slug=data["slug"]).first()
        if found is not None:
            loaded[data["slug"]] = Loaded(found, created=False)
            continue
        lead = leads[data["owner"]]
        owner = Organisation.objects.get(municipality_id=data["owner"])
        dates = _schedule(data, today)
        experiment = _create(data, lead, owner)
        Experiment.objects.filter(pk=experiment.pk).update(slug=data["slug"])
        experiment.refresh_from_db()
        if data.get("partners"):
            partners = Organisation.objects.filter(slug__in=data["partners"])
            services.experiment_update(experiment=experiment, by=lead, partners=list(partners))
        if data.get("places"):
            places = [data["owner"], *data["places"]]
            services.experiment_update(experiment=experiment, by=lead, municipalities=places)
        if data.get("needs"):
            services.needs_set(experiment=experiment, kinds=data["needs"])
        _steps_and_indicator(experiment, data, dates, lead)
        for text in data.get("journal", []):
            services.journal_entry_create(
                experiment=experiment, by=lead, body=text, language=data["lang"]
            )
        spreads = data["stage"] == Status.SPREAD
        _move(experiment, data, lead, upto=Status.EVALUATED if spreads else data["stage"])
        _backdate(experiment, data, dates)
        experiment.refresh_from_db()
        loaded[data["slug"]] = Loaded(experiment, created=True)
        if spreads:
            spreading.append((experiment, data, dates, lead))
    for experiment, data, dates, lead in spreading:
        experiment.refresh_from_db()
        _move(experiment, data, lead, upto=Status.SPREAD)
        _backdate(experiment, data, dates)
        experiment.refresh_from_db()
        loaded[data["slug"]] = Loaded(experiment, created=True)
    return loaded
