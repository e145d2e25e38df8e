"""The one base class for errors a user can fix.

The core raises these with one sentence a person can act on (a refused file,
a date outside the data, a store that cannot be read); it never decides how
they are shown. The CLI alone turns them into exit code 2 and the pages into
an ``st.error`` box, as datasette's core raises and only its CLI exits.
"""

from __future__ import annotations


class UserError(Exception):
    """A refusal or failure the user can act on; ``str(exc)`` is the whole message."""
