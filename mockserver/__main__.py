"""`python -m mockserver` is `shop-sandbox`."""
import sys

from mockserver.cli import main

sys.exit(main())
