"""Sub-commands of ``goalalign``, one module each."""
