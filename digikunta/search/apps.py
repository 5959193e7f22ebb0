from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "digikunta.search"

    def ready(self) -> None:
        from digikunta.search import receivers

        receivers.connect_indexed_models()
