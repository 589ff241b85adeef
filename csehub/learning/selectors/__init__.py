"""Every read the learning pages make, already scoped to the user, split by sub-domain."""
