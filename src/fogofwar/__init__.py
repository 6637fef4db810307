"""fogofwar."""
