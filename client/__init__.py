"""Reference client for the stack's per-user file folders.

Signs a user in to the user pool with SRP, gets the identity ID (Cognito ``GetId``) and the
authenticated role's credentials, then works under ``users/<identity id>/`` in the bucket.
"""
