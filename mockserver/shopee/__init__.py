"""Shopee Open Platform v2: signing, shop authorisation, orders, logistics."""
