"""Returns at the ledger: walk-in sales taken in from the till (sales), finding what was
bought for a return (lookup), recording a return taken in (intake), and what each order
line has had back (returned)."""
