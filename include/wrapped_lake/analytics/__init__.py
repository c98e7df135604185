"""Analytics computed in Python: the listening personality and its codes."""
