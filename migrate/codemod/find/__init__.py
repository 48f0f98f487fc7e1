"""Finding legacy calls: which files to read, one pass of facts over each module, what its
expressions evaluate to, and the legacy call sites with everything the rules ask about them."""
