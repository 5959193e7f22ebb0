from django.urls import path

from digikunta.funding import views

app_name = "funding"
urlpatterns = [
    path("", views.call_list, name="call_list"),
    path("new/", views.call_create, name="call_create"),
    path("mine/", views.my_applications, name="my_applications"),
    path("applications/<id:pk>/", views.application_detail, name="application_detail"),
    path("applications/<id:pk>/edit/", views.application_edit, name="application_edit"),
    path("applications/<id:pk>/withdraw/", views.application_withdraw, name="application_withdraw"),
    path("applications/<id:pk>/reviewers/", views.reviewers_assign, name="reviewers_assign"),
    path("applications/<id:pk>/decision/", views.decide, name="decide"),
    path("applications/<id:pk>/report/", views.report, name="report"),
    path("applications/<id:pk>/files/<id:answer_id>/", views.answer_file, name="answer_file"),
    path("reviews/<id:pk>/", views.review, name="review"),
    path("decisions/<id:pk>/", views.decision_detail, name="decision_detail"),
    path(
        "decisions/<id:pk>/document.pdf",
        views.decision_document_download,
        name="decision_document",
    ),
    path("instalments/<id:pk>/payments/", views.payment_record, name="payment_record"),
    path("<slug:slug>/", views.call_detail, name="call_detail"),
    path("<slug:slug>/edit/", views.call_update, name="call_update"),
    path("<slug:slug>/publish/", views.call_publish, name="call_publish"),
    path("<slug:slug>/apply/", views.application_start, name="application_start"),
    path("<slug:slug>/applications/", views.call_applications, name="call_applications"),
    path("<slug:slug>/dashboard/", views.call_dashboard, name="call_dashboard"),
    path(
        "<slug:slug>/decisions.<str:fmt>",
        views.decisions_export,
        name="decisions_export",
    ),
]
