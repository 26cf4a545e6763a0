"""The network directory: every provider's locations with their services, languages, opening
hours, accessibility and childcare, found by the person's postcode and language (public page),
picked from by counsellors referring someone, kept by each provider's staff. The data lives on
``people.Location`` (``people.models.directory``)."""
