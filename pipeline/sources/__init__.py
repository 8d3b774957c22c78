"""Where raw messages come from: the drop folder now; Exchange, Graph and IMAP later."""
