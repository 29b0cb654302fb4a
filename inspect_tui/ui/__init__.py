"""The Textual interface: app.py (shell), screens/, widgets/, keymap.py."""
