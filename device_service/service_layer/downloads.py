"""Handlers of downloads: record, list, and check a download's licence."""

from __future__ import annotations

from common.errors import NotFound
from device_service.domain import validation
from device_service.domain.downloads import Download, LicenseCheck, check_license
from device_service.service_layer import paging
from device_service.service_layer.activity import PROFILE_NAME_MAX, TITLE_MAX
from device_service.service_layer.devices import load_device
from device_service.service_layer.ports import Clock
from device_service.service_layer.unit_of_work import UnitOfWork


def record_download(
    uow: UnitOfWork, clock: Clock, account_id: str, device_id: str, profile_name: str, title: str
) -> Download:
    validation.bounded(profile_name, "profile_name", PROFILE_NAME_MAX)
    validation.bounded(title, "title", TITLE_MAX)
    with uow:
        device = load_device(uow, account_id, device_id, lock=True)  # a sign-out meanwhile cancels it, or refuses it
        download = Download.to_device(device, profile_name, title, clock())
        uow.downloads.save(download)
        uow.commit()
    return download


def list_downloads(
    uow: UnitOfWork, account_id: str, device_id: str, page_size: int, page_token: str
) -> tuple[list[Download], str]:
    limit, after = paging.page_size(page_size), paging.decode_token(page_token)
    with uow:
        load_device(uow, account_id, device_id)
        downloads = uow.downloads.page(account_id, device_id, limit + 1, after)
    return paging.cut(downloads, limit, lambda d: (d.downloaded_at, d.download_id))


def check_download_license(uow: UnitOfWork, account_id: str, download_id: str) -> tuple[Download, LicenseCheck]:
    validation.require(account_id, "account_id")
    validation.require(download_id, "download_id")
    with uow:
        download = uow.downloads.get(account_id, download_id)
        if download is None:
            raise NotFound(f"No download {download_id[:64]!r} on this account.")
        device = uow.devices.get(account_id, download.device_id)
    return download, check_license(download, device)
