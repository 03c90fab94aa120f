"""Detection of personal data in text and table columns. Never imports ``scanner``."""
import os

# NOTE: tldextract (a Presidio dependency) fetches the public-suffix list over the network on first use
# unless this is empty; its global extractor reads it at import time, so set it before anything imports it.
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")
