"""``contacts api``: a local HTTP JSON API and inbound SMS webhooks over the store (aiohttp).

Headless like store/: it never imports textual. Every rule is the store's; this package only
reads requests, calls the store as the token's maker, and writes JSON (or TwiML) back.
"""
