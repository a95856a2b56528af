"""Type stubs of the private native module (checked by mypy.stubtest)."""

from typing import Any, Dict, List, Optional, Tuple, final

from composio_rs.webhooks import VerifiedWebhook

__version__: str
SOURCE: str

@final
class NativeClient:
    def __new__(
        cls,
        api_key: Optional[str] = None,
        base_url: Optional[str] = None,
        toolkit_versions: Any = None,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        file_download_dir: Optional[str] = None,
        auto_upload_download_files: bool = False,
        sensitive_file_upload_protection: bool = True,
        file_upload_path_deny_segments: Optional[List[str]] = None,
        file_upload_dirs: Optional[List[str]] = None,
        provider: str = "openai",
        strict: bool = False,
        cache_tools: bool = False,
        sdk_version: Optional[str] = None,
        framework: Optional[str] = None,
    ) -> NativeClient: ...
    @property
    def provider_name(self) -> str: ...
    @property
    def base_url(self) -> str: ...
    def cached_schema_count(self) -> int: ...
    def create_session(
        self,
        user_id: str,
        config: Any,
        aio: bool = False,
        custom_tools: Optional[List[Any]] = None,
        custom_toolkits: Optional[List[Any]] = None,
    ) -> Any: ...
    def use_session(self, session_id: str, aio: bool = False) -> Any: ...
    def delete_session(self, session_id: str, aio: bool = False) -> Any: ...
    def tools_get(
        self,
        tools: Optional[List[str]] = None,
        toolkits: Optional[List[str]] = None,
        search: Optional[str] = None,
        scopes: Optional[List[str]] = None,
        tags: Optional[List[str]] = None,
        limit: Optional[int] = None,
        auth_config_ids: Optional[List[str]] = None,
        modifiers: Any = None,
        raw: bool = False,
        aio: bool = False,
    ) -> Any: ...
    def tools_list(
        self,
        toolkit_slugs: Optional[List[str]] = None,
        tool_slugs: Optional[List[str]] = None,
        search: Optional[str] = None,
        tags: Optional[List[str]] = None,
        scopes: Optional[List[str]] = None,
        limit: Optional[int] = None,
        cursor: Optional[str] = None,
        important: Optional[bool] = None,
        aio: bool = False,
    ) -> Any: ...
    def tools_get_by_slug(self, slug: str, version: Optional[str] = None, aio: bool = False) -> Any: ...
    def tools_execute(
        self,
        slug: str,
        arguments: Any = None,
        user_id: Optional[str] = None,
        connected_account_id: Optional[str] = None,
        custom_auth_params: Any = None,
        custom_connection_data: Any = None,
        text: Optional[str] = None,
        version: Optional[str] = None,
        dangerously_skip_version_check: Optional[bool] = None,
        modifiers: Any = None,
        full: bool = False,
        aio: bool = False,
    ) -> Any: ...
    def tools_proxy(
        self,
        endpoint: str,
        method: str,
        body: Any = None,
        connected_account_id: Optional[str] = None,
        parameters: Any = None,
        custom_connection_data: Any = None,
        aio: bool = False,
    ) -> Any: ...
    def register_custom_tool(
        self, slug: str, name: str, description: str, input_parameters: Any, func: Any, toolkit: Optional[str] = None
    ) -> None: ...
    def remove_custom_tool(self, slug: str) -> bool: ...
    def handle_tool_calls(
        self,
        user_id: str,
        response: Any,
        provider: str,
        strict: bool = False,
        cache_tools: bool = False,
        modifiers: Any = None,
        connected_account_id: Optional[str] = None,
        aio: bool = False,
    ) -> Any: ...
    def toolkits_list(
        self,
        category: Optional[str] = None,
        managed_by: Optional[str] = None,
        sort_by: Optional[str] = None,
        search: Optional[str] = None,
        include_deprecated: Optional[bool] = None,
        limit: Optional[int] = None,
        cursor: Optional[str] = None,
        aio: bool = False,
    ) -> Any: ...
    def toolkits_get(self, slug: str, aio: bool = False) -> Any: ...
    def toolkits_list_categories(self, aio: bool = False) -> Any: ...
    def toolkits_fields(
        self, toolkit: str, auth_scheme: str, required_only: bool = False, initiation: bool = False, aio: bool = False
    ) -> Any: ...
    def toolkits_authorize(self, user_id: str, toolkit: str, aio: bool = False) -> Any: ...
    def auth_configs_list(
        self,
        toolkit_slug: Optional[str] = None,
        is_composio_managed: Optional[bool] = None,
        show_disabled: Optional[bool] = None,
        search: Optional[str] = None,
        limit: Optional[int] = None,
        cursor: Optional[str] = None,
        aio: bool = False,
    ) -> Any: ...
    def auth_configs_create(self, toolkit: str, options: Any, aio: bool = False) -> Any: ...
    def auth_configs_get(self, nanoid: str, aio: bool = False) -> Any: ...
    def auth_configs_update(self, nanoid: str, options: Any, aio: bool = False) -> Any: ...
    def auth_configs_action(self, action: str, nanoid: str, aio: bool = False) -> Any: ...
    def accounts_initiate(
        self,
        user_id: str,
        auth_config_id: str,
        callback_url: Optional[str] = None,
        allow_multiple: bool = False,
        config: Any = None,
        alias: Optional[str] = None,
        aio: bool = False,
    ) -> Any: ...
    def accounts_link(
        self,
        user_id: str,
        auth_config_id: str,
        callback_url: Optional[str] = None,
        alias: Optional[str] = None,
        connection_data: Any = None,
        aio: bool = False,
    ) -> Any: ...
    def accounts_get(self, nanoid: str, aio: bool = False) -> Any: ...
    def accounts_list(
        self,
        user_ids: Optional[List[str]] = None,
        toolkit_slugs: Optional[List[str]] = None,
        auth_config_ids: Optional[List[str]] = None,
        connected_account_ids: Optional[List[str]] = None,
        statuses: Optional[List[str]] = None,
        order_by: Optional[str] = None,
        order_direction: Optional[str] = None,
        limit: Optional[int] = None,
        cursor: Optional[str] = None,
        aio: bool = False,
    ) -> Any: ...
    def accounts_action(self, action: str, nanoid: str, aio: bool = False) -> Any: ...
    def accounts_wait_for_connection(self, nanoid: str, timeout: float = 60.0, aio: bool = False) -> Any: ...
    def triggers_list_types(
        self,
        cursor: Optional[str] = None,
        limit: Optional[int] = None,
        toolkit_slugs: Optional[List[str]] = None,
        aio: bool = False,
    ) -> Any: ...
    def triggers_get_type(self, slug: str, aio: bool = False) -> Any: ...
    def triggers_list_enum(self, aio: bool = False) -> Any: ...
    def triggers_create(
        self,
        slug: str,
        user_id: Optional[str] = None,
        connected_account_id: Optional[str] = None,
        trigger_config: Any = None,
        aio: bool = False,
    ) -> Any: ...
    def triggers_list_active(
        self,
        trigger_ids: Optional[List[str]] = None,
        trigger_names: Optional[List[str]] = None,
        auth_config_ids: Optional[List[str]] = None,
        connected_account_ids: Optional[List[str]] = None,
        user_ids: Optional[List[str]] = None,
        show_disabled: Optional[bool] = None,
        limit: Optional[int] = None,
        cursor: Optional[str] = None,
        aio: bool = False,
    ) -> Any: ...
    def triggers_action(self, action: str, trigger_id: str, aio: bool = False) -> Any: ...
    def accounts_update(
        self, nanoid: str, alias: Optional[str] = None, state: Any = None, aio: bool = False
    ) -> Any: ...
    def accounts_refresh(
        self,
        nanoid: str,
        redirect_url: Optional[str] = None,
        validate_credentials: Optional[bool] = None,
        aio: bool = False,
    ) -> Any: ...
    def webhooks_create(
        self, webhook_url: str, enabled_events: List[str], version: Optional[str] = None, aio: bool = False
    ) -> Any: ...
    def webhooks_list(self, limit: Optional[int] = None, cursor: Optional[str] = None, aio: bool = False) -> Any: ...
    def webhooks_get(self, id: str, aio: bool = False) -> Any: ...
    def webhooks_update(
        self,
        id: str,
        webhook_url: Optional[str] = None,
        enabled_events: Optional[List[str]] = None,
        version: Optional[str] = None,
        aio: bool = False,
    ) -> Any: ...
    def webhooks_delete(self, id: str, aio: bool = False) -> Any: ...
    def webhooks_rotate_secret(self, id: str, aio: bool = False) -> Any: ...
    def webhooks_list_event_types(self, aio: bool = False) -> Any: ...
    def webhooks_set(
        self,
        webhook_url: str,
        enabled_events: Optional[List[str]] = None,
        version: Optional[str] = None,
        aio: bool = False,
    ) -> Any: ...
    def mcp_create(
        self,
        name: str,
        toolkits: Any,
        manually_manage_connections: bool = False,
        allowed_tools: Optional[List[str]] = None,
        aio: bool = False,
    ) -> Any: ...
    def mcp_list(
        self,
        page_no: Optional[int] = None,
        limit: Optional[int] = None,
        toolkits: Optional[List[str]] = None,
        auth_config_ids: Optional[List[str]] = None,
        name: Optional[str] = None,
        order_by: Optional[str] = None,
        order_direction: Optional[str] = None,
        aio: bool = False,
    ) -> Any: ...
    def mcp_get(self, server_id: str, aio: bool = False) -> Any: ...
    def mcp_update(
        self,
        server_id: str,
        name: Optional[str] = None,
        toolkits: Any = None,
        manually_manage_connections: Optional[bool] = None,
        allowed_tools: Optional[List[str]] = None,
        aio: bool = False,
    ) -> Any: ...
    def mcp_delete(self, server_id: str, aio: bool = False) -> Any: ...
    def mcp_generate(
        self,
        user_id: str,
        mcp_config_id: str,
        manually_manage_connections: Optional[bool] = None,
        aio: bool = False,
    ) -> Any: ...
    def triggers_subscribe(
        self, dispatch: Any, timeout: float = 15.0, aio: bool = False, on_error: Optional[Any] = None
    ) -> Any: ...

@final
class NativeTriggerSubscription:
    def stop(self) -> None: ...
    def is_alive(self) -> bool: ...
    def wait(self, timeout: float) -> bool: ...
    def wait_async(self, timeout: Optional[float] = None) -> Any: ...

@final
class NativeSession:
    def update(self, patch: Dict[str, Any], aio: bool = False) -> Any: ...
    def config_history(self, cursor: Optional[str] = None, limit: Optional[int] = None, aio: bool = False) -> Any: ...
    def delete(self, aio: bool = False) -> Any: ...
    @property
    def session_id(self) -> str: ...
    @property
    def mcp(self) -> Dict[str, Any]: ...
    @property
    def tool_router_tools(self) -> List[str]: ...
    @property
    def config(self) -> Any: ...
    @property
    def config_version(self) -> int: ...
    @property
    def experimental(self) -> Any: ...
    @property
    def extra(self) -> Dict[str, Any]: ...
    def tools(self, modifiers: Any = None, raw: bool = False, aio: bool = False) -> Any: ...
    def execute(self, tool_slug: str, arguments: Any = None, modifiers: Any = None, aio: bool = False) -> Any: ...
    def execute_meta(self, slug: str, arguments: Any = None, modifiers: Any = None, aio: bool = False) -> Any: ...
    def search(
        self, query: str, model: Optional[str] = None, toolkits: Optional[List[str]] = None, aio: bool = False
    ) -> Any: ...
    def authorize(
        self, toolkit: str, callback_url: Optional[str] = None, alias: Optional[str] = None, aio: bool = False
    ) -> Any: ...
    def toolkits(
        self,
        toolkits: Optional[List[str]] = None,
        next_cursor: Optional[str] = None,
        limit: Optional[int] = None,
        is_connected: Optional[bool] = None,
        search: Optional[str] = None,
        aio: bool = False,
    ) -> Any: ...
    def custom_tools(self, toolkit: Optional[str] = None) -> Any: ...
    def custom_toolkits(self) -> Any: ...
    def proxy_execute(
        self, toolkit: str, endpoint: str, method: str, body: Any = None, parameters: Any = None, aio: bool = False
    ) -> Any: ...

@final
class NativeConnectionRequest:
    @property
    def id(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def redirect_url(self) -> Optional[str]: ...
    def wait_for_connection(
        self, timeout: float = 60.0, poll_interval: Optional[float] = None, aio: bool = False
    ) -> Any: ...

@final
class ToolContext:
    @property
    def user_id(self) -> Optional[str]: ...
    @property
    def connected_account(self) -> Any: ...
    def proxy(
        self,
        endpoint: str,
        method: str,
        body: Any = None,
        parameters: Any = None,
        connected_account_id: Optional[str] = None,
    ) -> Any: ...
    @property
    def session_id(self) -> Optional[str]: ...
    def execute(self, tool_slug: str, arguments: Any = None) -> Any: ...
    def proxy_execute(
        self, toolkit: str, endpoint: str, method: str, body: Any = None, parameters: Any = None
    ) -> Any: ...

def verify_webhook(
    id: str, payload: str, secret: str, signature: str, timestamp: str, tolerance: int = 300, now: Optional[int] = None
) -> Tuple[str, Any, Any]: ...
def verify_webhook_headers(
    headers: List[Tuple[str, str]], body: str, secret: str, tolerance: int = 300, now: Optional[int] = None
) -> Tuple[str, Any, Any]: ...
def verify_webhook_event(
    id: str, payload: str, secret: str, signature: str, timestamp: str, tolerance: int = 300, now: Optional[int] = None
) -> Any: ...
def verify_webhook_kw(
    *, id: str, payload: str, secret: str, signature: str, timestamp: str, tolerance: int = 300
) -> VerifiedWebhook: ...
def _decode_json_for_tests(text: str, exact: bool = False) -> Tuple[Any, bool]: ...
def sign_webhook(id: str, timestamp: str, payload: str, secret: str) -> str: ...
def parse_webhook_payload(body: Any) -> Tuple[str, Any]: ...
def wrap_tools(
    tools: Any, provider: str, strict: bool = False, cache_tools: bool = False, enhance: bool = False
) -> Any: ...
def connection_state(scheme: str, options: Any) -> Any: ...
def session_request_body(user_id: str, config: Any) -> Any: ...
def _panic_for_tests(aio: bool = False) -> Any: ...
def set_log_level(level: int) -> None: ...
def _log_for_tests(level: int, message: str) -> None: ...
def attach_session(
    client: NativeClient,
    session_id: str,
    custom_tools: Optional[List[Any]] = None,
    custom_toolkits: Optional[List[Any]] = None,
    aio: bool = False,
) -> Any: ...
def webhook_endpoints_list(client: NativeClient, toolkit_slug: Optional[str] = None, aio: bool = False) -> Any: ...
def webhook_endpoints_get(client: NativeClient, nano_id: str, aio: bool = False) -> Any: ...
def webhook_endpoints_create(client: NativeClient, toolkit_slug: str, client_id: str, aio: bool = False) -> Any: ...
def webhook_endpoints_set_data(
    client: NativeClient, nano_id: str, data: Any, merge: bool, aio: bool = False
) -> Any: ...
def session_configs_list(
    client: NativeClient,
    search: Optional[str] = None,
    archived: Optional[bool] = None,
    limit: Optional[int] = None,
    cursor: Optional[str] = None,
    aio: bool = False,
) -> Any: ...
def session_configs_get(client: NativeClient, id: str, aio: bool = False) -> Any: ...
def raw_request(
    client: NativeClient,
    method: str,
    path: str,
    query: Optional[List[Tuple[str, str]]] = None,
    body: Any = None,
    aio: bool = False,
) -> Any: ...
