"""Reports: verdict storage (atomic, resumable) and rendering."""
