"""The admin's desk: a small web application over the register, for every admin action.

`pipeline desk` serves it (on 127.0.0.1 by default); `app.create_app(config)` builds it.
"""
