"""Return intake at the counter and the bench: find what was bought, take it back, grade it."""
