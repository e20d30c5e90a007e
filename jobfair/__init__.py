"""Virtual job fair platform for public labour offices."""
