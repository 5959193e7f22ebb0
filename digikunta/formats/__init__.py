"""Date and number formats where Finland's conventions differ from Django's (FORMAT_MODULE_PATH)."""
