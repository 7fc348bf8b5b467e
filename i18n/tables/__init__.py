"""The labels table, one module per area (each helper/page owns its file); merged in i18n.labels."""
