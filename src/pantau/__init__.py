"""pantau: how election candidates campaign on social media and how the public answers them."""

__version__ = "0.1.0"
