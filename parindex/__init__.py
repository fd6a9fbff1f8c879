"""parindex: Vietnamese PAR INDEX reports in, an audited longitudinal dataset out."""
__version__ = "0.1.0"
