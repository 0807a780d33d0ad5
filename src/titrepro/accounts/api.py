from ninja import Router

from titrepro.accounts.api_auth import api_auth

router = Router(auth=api_auth)
