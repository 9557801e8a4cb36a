"""What lets other programs find the archive's public records: the sitemap (`sitemaps`),
robots.txt (`robots`) and the Atom feeds of newly published documents (`feeds`).

Each reads only what visitors may see: published documents, published collections and the
people a published document names (the rule of the person page, `public_people`). Pages and the
read-only API (`documents.api`) sit beside it; it imports the models, the public index and
`documents.views`, never the admin or the workflows.
"""
