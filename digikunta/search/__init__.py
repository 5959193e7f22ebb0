"""Full-text search for any model: Finnish base forms and compound parts, Swedish and English stems.

See docs/search.md. Writes go through ``services``, reads through ``selectors``.
"""
