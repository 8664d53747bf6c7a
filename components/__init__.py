"""Reusable Pulumi components: Cognito identity and a per-user file bucket from one access description.

- ``access``: the access description and both policy layers rendered from it (pure)
- ``config``: stack config -> validated settings (pure)
- ``identity``: user pool, app client, identity pool, roles, role attachment
- ``storage``: the file bucket, its hardening and its bucket policy
- ``user_files``: the top-level component composing the two
"""
