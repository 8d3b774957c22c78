"""Cases: which documents of an email make which request, and a request across emails."""
