#!/usr/bin/env python
"""Same as the `digikunta` console script, for those used to manage.py."""

from digikunta.cli import main

if __name__ == "__main__":
    main()
