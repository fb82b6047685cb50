"""Profiles and their parental controls, the title catalogue, the audit trail and playback.

Changes to profiles are account-level changes: a session in a kids profile is
refused them (403 kids_profile), and any other session needs a recent
authentication (gateway.auth: the password entered on this session, under the
profile selected now, within STEP_UP_SECONDS; else 403 reauthentication_required).
The changes that protect the controls themselves (maturity, PIN, unlock, title
blocks, schedule) may carry the account password in their body instead, which
auth_service checks first; a wrong one is 401 wrong_password and the session stays
valid. parental_service records who made each change (the actor).
"""

from __future__ import annotations

from typing import Any

from remotesignout.auth.v1 import auth_pb2
from remotesignout.parental.v1 import parental_pb2

from gateway import flows, models
from gateway.api import RECENT, SETTINGS, Answer, Call, Reply, Routes
from gateway.auth import actor
from gateway.edge import client_address
from gateway.render import enum_name, word

routes = Routes("profiles", "Profiles, PINs, maturity levels, title blocks, viewing schedules, playback.")

PROFILE = "/v1/profiles/{profile_id}"
GUARDED = (404, 429)  # a change that may carry the password: no such profile; too many wrong passwords
MATURITY = parental_pb2.MaturityLevel.DESCRIPTOR


def a_change_of_this_profile(call: Call) -> dict[str, Any]:
    """What every change of one profile names: the account, the profile in the path, and who made it."""
    return {"account_id": call.caller.account_id, "profile_id": call.path("profile_id"), "actor": actor(call.caller)}


@routes.get("/v1/profiles", "listProfiles", "The account's profiles, the owner first.", response=models.ProfileList)
async def list_profiles(call: Call) -> Reply:
    found: parental_pb2.ListProfilesResponse = await call.backends.parental.ListProfiles(
        parental_pb2.ListProfilesRequest(account_id=call.caller.account_id), timeout=call.timeout
    )
    return found


@routes.post(
    "/v1/profiles",
    "createProfile",
    "Create a profile (at most 5).",
    response=models.Profile,
    status=201,
    security=RECENT,
    errors=(409,),
)
async def create_profile(call: Call, body: models.NewProfile) -> Reply:
    created: parental_pb2.CreateProfileResponse = await call.backends.parental.CreateProfile(
        parental_pb2.CreateProfileRequest(
            account_id=call.caller.account_id,
            name=body.name,
            actor=actor(call.caller),
            kind=enum_name(parental_pb2.ProfileKind.DESCRIPTOR, body.kind),
            maturity_level=enum_name(MATURITY, body.maturity_level),
        ),
        timeout=call.timeout,
    )
    return created.profile


@routes.post(
    f"{PROFILE}/select",
    "selectProfile",
    "Enter a profile on this device: a new access token scoped to it. "
    "A profile with a PIN needs it (401 wrong_pin, 403 pin_required, 429 pin_locked).",
    response=models.SelectedProfile,
    errors=(403, 404, 429),
    body_required=False,
)
async def select_profile(call: Call, body: models.Select) -> Reply:
    caller = call.caller
    selected: parental_pb2.SelectProfileResponse = await call.backends.parental.SelectProfile(
        parental_pb2.SelectProfileRequest(
            account_id=caller.account_id, profile_id=call.path("profile_id"), pin=body.pin, device_id=caller.device_id
        ),
        timeout=call.timeout,
    )
    profile = selected.profile
    scoped: auth_pb2.SetSessionProfileResponse = await call.backends.auth.SetSessionProfile(
        auth_pb2.SetSessionProfileRequest(
            account_id=caller.account_id,
            session_id=caller.session_id,
            profile_id=profile.profile_id,
            profile_kind=word(parental_pb2.ProfileKind.DESCRIPTOR, profile.kind),
        ),
        timeout=call.timeout,
    )
    return Answer(scoped, profile=profile)


@routes.patch(
    PROFILE, "renameProfile", "Rename a profile.", response=models.ProfileAnswer, security=RECENT, errors=(404, 409)
)
async def rename_profile(call: Call, body: models.Rename) -> Reply:
    renamed: parental_pb2.RenameProfileResponse = await call.backends.parental.RenameProfile(
        parental_pb2.RenameProfileRequest(
            **a_change_of_this_profile(call),
            name=body.name,
        ),
        timeout=call.timeout,
    )
    return renamed


@routes.delete(
    PROFILE,
    "deleteProfile",
    "Delete a profile (not the owner's); its playbacks stop.",
    response=models.Stops,
    security=RECENT,
    errors=(404, 409),
)
async def delete_profile(call: Call) -> Reply:
    deleted: parental_pb2.DeleteProfileResponse = await call.backends.parental.DeleteProfile(
        parental_pb2.DeleteProfileRequest(
            account_id=call.caller.account_id, profile_id=call.path("profile_id"), actor=actor(call.caller)
        ),
        timeout=call.timeout,
    )
    return deleted


@routes.get(
    f"{PROFILE}/rules",
    "getProfileRules",
    "A profile with its PIN state, blocked titles and viewing schedule.",
    response=models.ProfileRules,
    security=SETTINGS,
    errors=(404,),
)
async def get_rules(call: Call) -> Reply:
    rules: parental_pb2.GetProfileRulesResponse = await call.backends.parental.GetProfileRules(
        parental_pb2.GetProfileRulesRequest(account_id=call.caller.account_id, profile_id=call.path("profile_id")),
        timeout=call.timeout,
    )
    return rules


@routes.put(
    f"{PROFILE}/maturity",
    "setMaturityLevel",
    "Change the maturity level (the account password: in the body, or entered recently); playbacks it forbids stop.",
    response=models.ProfileChange,
    security=RECENT,
    errors=GUARDED,
)
async def set_maturity(call: Call, body: models.MaturityChange) -> Reply:
    changed: parental_pb2.SetMaturityLevelResponse = await call.backends.parental.SetMaturityLevel(
        parental_pb2.SetMaturityLevelRequest(
            **a_change_of_this_profile(call),
            maturity_level=enum_name(MATURITY, body.maturity_level),
        ),
        timeout=call.timeout,
    )
    return changed


@routes.put(
    f"{PROFILE}/pin",
    "setProfilePin",
    "Set the profile's PIN (the account password: in the body, or entered recently).",
    response=models.ProfileChange,
    security=RECENT,
    errors=GUARDED,
)
async def set_pin(call: Call, body: models.PinChange) -> Reply:
    changed: parental_pb2.SetProfilePinResponse = await call.backends.parental.SetProfilePin(
        parental_pb2.SetProfilePinRequest(
            **a_change_of_this_profile(call),
            pin=body.pin,
        ),
        timeout=call.timeout,
    )
    return changed


@routes.delete(
    f"{PROFILE}/pin",
    "removeProfilePin",
    "Remove the profile's PIN (the account password: in the body, or entered recently).",
    response=models.ProfileChange,
    security=RECENT,
    errors=GUARDED,
    body_required=False,
)
async def remove_pin(call: Call, body: models.Confirmable) -> Reply:
    changed: parental_pb2.RemoveProfilePinResponse = await call.backends.parental.RemoveProfilePin(
        parental_pb2.RemoveProfilePinRequest(
            **a_change_of_this_profile(call),
        ),
        timeout=call.timeout,
    )
    return changed


@routes.post(
    f"{PROFILE}/unlock",
    "unlockProfile",
    "Clear a PIN lock (the account password: in the body, or entered recently).",
    response=models.ProfileChange,
    security=RECENT,
    errors=GUARDED,
    body_required=False,
)
async def unlock_profile(call: Call, body: models.Confirmable) -> Reply:
    changed: parental_pb2.UnlockProfileResponse = await call.backends.parental.UnlockProfile(
        parental_pb2.UnlockProfileRequest(
            **a_change_of_this_profile(call),
        ),
        timeout=call.timeout,
    )
    return changed


@routes.post(
    f"{PROFILE}/blocked-titles",
    "blockTitle",
    "Block a title on the profile (the account password: in the body, or entered recently); its playback stops.",
    response=models.Stops,
    status=201,
    security=RECENT,
    errors=GUARDED,
)
async def block_title(call: Call, body: models.BlockTitle) -> Reply:
    changed: parental_pb2.BlockTitleResponse = await call.backends.parental.BlockTitle(
        parental_pb2.BlockTitleRequest(
            **a_change_of_this_profile(call),
            title_id=body.title_id,
        ),
        timeout=call.timeout,
    )
    return changed


@routes.delete(
    f"{PROFILE}/blocked-titles/{{title_id}}",
    "unblockTitle",
    "Allow a blocked title again (the account password: in the body, or entered recently).",
    response=models.Stops,
    security=RECENT,
    errors=GUARDED,
    body_required=False,
)
async def unblock_title(call: Call, body: models.Confirmable) -> Reply:
    await call.backends.parental.UnblockTitle(
        parental_pb2.UnblockTitleRequest(
            **a_change_of_this_profile(call),
            title_id=call.path("title_id"),
        ),
        timeout=call.timeout,
    )
    return {"stopped_playbacks": []}


@routes.put(
    f"{PROFILE}/schedule",
    "setViewingSchedule",
    "Set the viewing schedule (the account password: in the body, or entered recently); no windows removes it.",
    response=models.Stops,
    security=RECENT,
    errors=GUARDED,
)
async def set_schedule(call: Call, body: models.Schedule) -> Reply:
    schedule = parental_pb2.ViewingSchedule(
        time_zone=body.time_zone,
        windows=[
            parental_pb2.ViewingWindow(
                weekday=enum_name(parental_pb2.Weekday.DESCRIPTOR, w.weekday),
                start_minute=w.start_minute,
                end_minute=w.end_minute,
            )
            for w in body.windows
        ],
    )
    changed: parental_pb2.SetViewingScheduleResponse = await call.backends.parental.SetViewingSchedule(
        parental_pb2.SetViewingScheduleRequest(
            **a_change_of_this_profile(call),
            schedule=schedule,
        ),
        timeout=call.timeout,
    )
    return changed


@routes.get("/v1/titles", "listTitles", "The title catalogue in name order.", response=models.TitlePage)
async def list_titles(call: Call, query: models.ParentalPageQuery) -> Reply:
    page: parental_pb2.ListTitlesResponse = await call.backends.parental.ListTitles(
        parental_pb2.ListTitlesRequest(page_size=query.page_size, page_token=query.page_token), timeout=call.timeout
    )
    return page


@routes.get(
    "/v1/audit-events",
    "listAuditEvents",
    "Changes to the account's parental controls, newest first.",
    response=models.AuditPage,
    security=SETTINGS,
)
async def list_audit_events(call: Call, query: models.AuditQuery) -> Reply:
    page: parental_pb2.ListAuditEventsResponse = await call.backends.parental.ListAuditEvents(
        parental_pb2.ListAuditEventsRequest(
            account_id=call.caller.account_id,
            profile_id=query.profile_id,
            page_size=query.page_size,
            page_token=query.page_token,
        ),
        timeout=call.timeout,
    )
    return page


@routes.post(
    "/v1/playback",
    "startPlayback",
    "May this device play the title for the profile? Denied is 200 with "
    "allowed=false and a reason; allowed playback is recorded on the device list.",
    response=models.PlaybackDecision,
    errors=(403, 404),
)
async def start_playback(call: Call, body: models.PlaybackStart) -> Reply:
    return await flows.start_playback(
        call.backends, call.caller, body, client_address(call.request, call.backends.settings.trusted_proxies)
    )


@routes.post("/v1/playback/stop", "stopPlayback", "This device stopped playing.", response=models.Ended)
async def stop_playback(call: Call) -> Reply:
    ended: parental_pb2.EndPlaybackResponse = await call.backends.parental.EndPlayback(
        parental_pb2.EndPlaybackRequest(account_id=call.caller.account_id, device_id=call.caller.device_id),
        timeout=call.timeout,
    )
    return ended
