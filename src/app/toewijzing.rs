//! Handing a newcomer's caseload to another trajectbegeleider: the newcomer and their running contract move together.
