"""Stack config -> one UserFiles component -> stack outputs. Nothing else.

Config is validated (components.config) before any resource is registered. Outputs are what a web or
mobile client needs; ``clientConfig`` is the same as one JSON object (keys documented in
components/user_files.py). Folders are ``users/<identity id>/`` with the identity id from Cognito
``GetId``, not the user pool's ``sub``.
"""

import pulumi

from components.config import KNOBS, load_settings
from components.user_files import FOLDER_KEY, UserFiles

config = pulumi.Config()
settings = load_settings({knob.key: config.get(knob.key) for knob in KNOBS})

files = UserFiles("user-files", settings)

pulumi.export("region", files.region)
pulumi.export("userPoolId", files.identity.user_pool.id)
pulumi.export("userPoolClientId", files.identity.user_pool_client.id)
pulumi.export("identityPoolId", files.identity.identity_pool.id)
pulumi.export("bucket", files.storage.bucket_name)
pulumi.export("folderPrefix", settings.folder_prefix)
pulumi.export("folderPrefixes", files.identity_folder_prefixes)
pulumi.export("corsOrigins", list(settings.storage.cors_origins))
pulumi.export("folderKey", FOLDER_KEY)
pulumi.export("clientConfig", files.client_config)
