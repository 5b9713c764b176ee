"""The Lessons dock: lessons on the shipped examples whose steps tick as the window notices them done."""
