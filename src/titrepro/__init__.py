"""titrepro: the certification system of the French titres professionnels."""
