"""The intake: findings entered through widgets and the body map, the case toolbar
(load, import, export) and the widget <-> finding conversions. The case in session state
is the one truth; every widget is drawn from it and writes back to it."""
