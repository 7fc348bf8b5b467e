"""The synthetic demo city (central Nanchang): its seeded generator and the bundled GeoPackage."""
