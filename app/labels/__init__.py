"""Labels: templates laid out in printer dots, PDF / ZPL / PNG renderers, printer
profiles and transports. Imports app.domain and drawing libraries, never Qt or storage.
"""
