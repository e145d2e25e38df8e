"""How much a link, a text box or the command line may ask for in one request.

A shared link is input from anyone: without bounds, ``?windows=`` with 3,000
windows cost 25 s and 881 MiB of one server shared by every viewer. Each
bound sits well above what an analyst uses (the defaults are 5 windows of at
most 11 days, one estimation window of 240 days, a handful of events) and is
checked where the request is parsed, with a refusal that names the limit.
``make bench`` times a link at every bound beside the default view.
"""

from __future__ import annotations

MAX_WINDOWS = 10  # event windows in one study
MAX_WINDOW_DAY = 250  # the ends of an event window lie within one trading year of day 0
MAX_ESTIMATION_START = 1000  # the estimation window starts at most 1,000 sessions before day 0
MAX_DATES = 100  # trading dates typed for one study (command line --date, the page's box)
MAX_EVENTS = 500  # event ids named for one study (command line --events)
MAX_PEERS = 5  # tickers compared with the stock
MAX_LINK_VALUE = 200  # characters in one link parameter
MAX_LINK_LIST = 16_000  # characters in a link's list of events (MAX_EVENTS ids of about 24 characters)
MAX_TYPED_TEXT = 5000  # characters in a free-text box (windows, dates)
