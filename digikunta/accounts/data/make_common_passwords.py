"""Rebuild common-passwords-fi-sv.txt.gz: `python digikunta/accounts/data/make_common_passwords.py`.

Words written here by hand, Finnish and Swedish first and last names from Faker (MIT licence, a
development dependency) and the municipality and region names of our reference data. Each entry
is stored folded the way digikunta.accounts.passwords compares them (see README.md).
"""

import csv
import gzip
from pathlib import Path

from faker.providers.address.fi_FI import Provider as AddressFi
from faker.providers.address.sv_SE import Provider as AddressSv
from faker.providers.person.fi_FI import Provider as PersonFi
from faker.providers.person.sv_SE import Provider as PersonSv

from digikunta.accounts.passwords import fold

HERE = Path(__file__).resolve().parent
REFERENCE = HERE.parent.parent / "municipalities" / "data"

WORDS = """
salasana salasanani salis passu tunnus tunnussana kayttaja kayttajatunnus sisaan kirjaudu
lösenord lösen losen inloggning användare anvandare hemlig hemligt
digikunta digikuntademo demo kunta kuntalainen kaupunki kokeilu kokeilut testi testaus testaaja
kissa kissat kisu kisuli miuku mirri koira koirat hauva rakki peni piski hevonen heppa ponit
lehmä possu porsas nalle nallekarhu karhu susi kettu jänis pupu orava hiiri ilves hirvi poro
lintu kotka haukka joutsen pöllö kala lohi hauki ahven kuha silakka
perkele saatana helvetti jumalauta voi_vittu vittu paska kakka pippeli mulkku perse
rakkaus rakas rakkain kulta kultaseni kultsi muru murunen pusu hali sydän sydan ihana enkeli
prinsessa prinssi kuningas kuningatar tähti tahti aurinko kuu taivas meri järvi jarvi joki
metsä metsa sauna kesä kesa talvi kevät kevat syksy joulu juhannus pääsiäinen vappu uusivuosi
sisu suomi suomen suomi100 finland finnland suomalainen lappi karjala savo häme hame pohjola
helsinki espoo tampere vantaa oulu turku jyväskylä kuopio lahti pori joensuu lappeenranta
hyvinvointi terveys koulu opettaja oppilas lukio yliopisto työ tyo duuni kahvi pulla korvapuusti
makkara karjalanpiirakka ruisleipä leipä olut kalja viina kossu lonkero sima mämmi salmiakki
moi moikka hei heippa terve morjens moro tervehdys kiitos anteeksi hyvää huomenta
koti kotona perhe äiti aiti isä isi mummo mummi vaari pappa ukki sisko veli poika tyttö tytto
vauva lapsi lapset ystävä ystava kaveri frendi
auto volvo saab toyota nokia kone tietokone puhelin kännykkä kannykka
musiikki rock metalli lordi nightwish hiihto jääkiekko jaakiekko leijonat huuhkajat
jalkapallo futis pesäpallo pesis salibandy lentopallo koripallo sähly
sommar vinter vår host höst jul midsommar påsk nyår
katt katten kissekatt hund hunden valp häst hast kanin björn varg räv älg
kärlek karlek älskling alskling hjärta hjarta sötnos gullet gullig prinsessa
sol måne stjärna stjarna himmel hav sjö skog bastu
hej hejsan hallå tack förlåt godmorgon
mamma pappa farmor farfar mormor morfar syster bror flicka pojke barn vän kompis
fotboll ishockey innebandy bandy
hemma familj skola lärare jobb kaffe kanelbulle
jumala jeesus enkeli amen kirkko
password passw0rd passwort motdepasse contrasena admin administrator root user guest login
welcome welcome1 letmein secret master monkey dragon shadow sunshine princess football
iloveyou trustno1 superman batman starwars pokemon minecraft fortnite hello hello123
""".split()  # noqa: SIM905 - a word list is easiest to edit as text

MONTHS = """
tammikuu helmikuu maaliskuu huhtikuu toukokuu kesäkuu heinäkuu elokuu syyskuu lokakuu
marraskuu joulukuu tammi helmi maalis huhti touko kesä heinä elo syys loka marras joulu
januari februari mars april maj juni juli augusti september oktober november december
january february march may june july august october
maanantai tiistai keskiviikko torstai perjantai lauantai sunnuntai
måndag tisdag onsdag torsdag fredag lördag söndag
monday tuesday wednesday thursday friday saturday sunday
""".split()  # noqa: SIM905 - a word list is easiest to edit as text

TEAMS = """
hjk hifk ifk fcinter inter kups kuopionpalloseura ilves fchaka haka fclahti sjk seinäjoki
vps fchonka honka rops tps fcjazz jazz kokkolanpalloveikot kpv jjk mypa acoulu ekenäsif
jokerit kärpät karpat tappara lukko pelicans ässät assat jyp kalpa saipa sport hpk jukurit
kookoo blues espooblues
liverpool arsenal chelsea manu manchester manchesterunited mancity tottenham everton leeds
barcelona barca realmadrid juventus milan acmilan bayern dortmund ajax psg celtic rangers
aik djurgården djurgarden hammarby malmö malmoff ifkgöteborg frölunda färjestad
""".split()  # noqa: SIM905 - a word list is easiest to edit as text

KEYBOARD = """
qwerty qwertyu qwertyui qwertyuiop qwertyuiopå qwertz qwertzuiop azerty ytrewq
asdf asdfg asdfgh asdfghj asdfghjk asdfghjkl asdfghjklö asdfghjklöä
zxcv zxcvb zxcvbn zxcvbnm yxcvbnm qazwsx qazwsxedc wsxedc 1qaz2wsx 1q2w3e4r 1q2w3e 1q2w3e4r5t
qweasd qweasdzxc asdqwe zaq12wsx zaqxsw poiuyt lkjhgf mnbvcx
12345 123456 1234567 12345678 123456789 1234567890 0123456789 987654321 0987654321
123123 123321 112233 111111 000000 121212 654321 696969 159753 147258 147258369 159357
abc abcd abcde abcdef abcdefg abc123 aaaaaa aaa aabbcc
""".split()  # noqa: SIM905 - a word list is easiest to edit as text


def reference_names() -> set[str]:
    names: set[str] = set()
    for filename, columns in [
        ("municipalities.csv", ("name_fi", "name_sv", "region_name_fi", "region_name_sv")),
        ("regions.csv", ("region_name_fi", "region_name_sv", "region_name_en")),
    ]:
        with (REFERENCE / filename).open(encoding="utf-8") as rows:
            for row in csv.DictReader(rows):
                names.update(row[column] for column in columns)
    return names


def entries() -> list[str]:
    words = set(WORDS) | set(MONTHS) | set(TEAMS) | set(KEYBOARD) | reference_names()
    words |= set(PersonFi.first_names) | set(PersonFi.last_names)
    words |= set(PersonSv.first_names) | set(PersonSv.last_names)
    words |= set(AddressFi.countries) | set(AddressSv.countries) | set(AddressFi.cities)
    words |= set(AddressSv.cities)
    # Street words of Faker's fi_FI (Koivu, Kuusi, Mänty …) are common Finnish nouns.
    words |= set(AddressFi.street_prefixes)
    folded = {fold(word.replace("_", "")) for word in words}
    # Two letters or fewer are no "core" worth refusing on their own; the length rule and
    # Django's list handle the rest.
    return sorted(word for word in folded if len(word) >= 3)


if __name__ == "__main__":
    lines = entries()
    target = HERE / "common-passwords-fi-sv.txt.gz"
    with gzip.GzipFile(target, "wb", mtime=0) as out:
        out.write(("\n".join(lines) + "\n").encode())
    print(f"{len(lines)} entries written to {target.name}")  # noqa: T201
