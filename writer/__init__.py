"""Write: the dataset written from the documents read (being moved here from parindex/)."""
