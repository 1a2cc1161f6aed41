from .licences import ExportLicence, LicenceDrawdown
from .lots import Lot, LotEvent, LotLink, Transformation, Unit
from .shipments import Shipment, ShipmentLine

__all__ = [
    "ExportLicence",
    "LicenceDrawdown",
    "Lot",
    "LotEvent",
    "LotLink",
    "Shipment",
    "ShipmentLine",
    "Transformation",
    "Unit",
]
