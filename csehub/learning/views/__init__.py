"""The learning pages, split by sub-domain; csehub/learning/urls.py names them."""
