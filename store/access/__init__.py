"""Who may do what: roles and per-role or per-user policies, the API's tokens, and the webhook
secrets; each change of them is for admins only."""
