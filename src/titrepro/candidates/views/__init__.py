"""The pages of the candidates app, one module per role: ``centre`` (centre staff), ``candidate``.

The DREETS decides VAE admissibility and accommodations on the shared decision pages of
``core.decisions`` (the kinds are in ``candidates.decisions``; the URLs in ``urls_spaces``).
"""
