package store

// For the due-query benchmark: the query text and its arguments.
var (
	DueQuery = dueQuery
	DueArgs  = dueArgs
)
