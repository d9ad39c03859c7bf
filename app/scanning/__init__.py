"""Reading identity data from scanners, card readers and images: everything here is offline."""
