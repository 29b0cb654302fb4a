"""The work itself: units, inspections, findings and tasks, the work plan,
indicators. Each public function validates plain values, writes inside one
transaction with a change-log batch, and returns plain data. No Textual, no
openpyxl here."""
