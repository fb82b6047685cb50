"""parental_service's migrations, one file each, named NNNN_slug.py (revision ids "0001", "0002", ...)."""
