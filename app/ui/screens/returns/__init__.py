"""Returns (counter and bench): find what was bought, scan each unit coming back, grade
it, say why, and finish with the credit note and RMA labels printed. Keyboard and scanner
only: ``screen`` holds the steps, ``step_keys`` the one-key answers, ``texts`` the words,
``models`` the tables."""
