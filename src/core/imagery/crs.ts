import proj4 from 'proj4';
import { AppError } from '../../shared/errors';

/** A coordinate reference system as the imagery core uses it. */
export interface Crs {
  epsg: number | null;
  proj4: string;
}

/** Fixed definitions for codes that are not a UTM family (checked against PROJ's own strings). */
const FIXED: Record<number, string> = {
  4326: '+proj=longlat +datum=WGS84 +no_defs',
  4269: '+proj=longlat +datum=NAD83 +no_defs',
  4258: '+proj=longlat +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +no_defs',
  3857: '+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +wktext +no_defs',
  // NAD83 / Conus Albers (USGS products), NAD83 / California Albers
  5070: '+proj=aea +lat_0=23 +lon_0=-96 +lat_1=29.5 +lat_2=45.5 +x_0=0 +y_0=0 +datum=NAD83 +units=m +no_defs',
  3310: '+proj=aea +lat_0=0 +lon_0=-120 +lat_1=34 +lat_2=40.5 +x_0=0 +y_0=-4000000 +datum=NAD83 +units=m +no_defs',
  // ETRS89 / LAEA Europe, RGF93 / Lambert-93, OSGB36 / British National Grid (7-parameter approximation)
  3035: '+proj=laea +lat_0=52 +lon_0=10 +x_0=4321000 +y_0=3210000 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs',
  2154: '+proj=lcc +lat_0=46.5 +lon_0=3 +lat_1=49 +lat_2=44 +x_0=700000 +y_0=6600000 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs',
  27700:
    '+proj=tmerc +lat_0=49 +lon_0=-2 +k=0.9996012717 +x_0=400000 +y_0=-100000 +ellps=airy +towgs84=446.448,-125.157,542.06,0.15,0.247,0.842,-20.489 +units=m +no_defs',
  // NAD83 / California zone 2 and 3 (US survey feet): the State Plane zones of the Bay Area samples' region
  2226: '+proj=lcc +lat_0=37.6666666666667 +lon_0=-122 +lat_1=39.8333333333333 +lat_2=38.3333333333333 +x_0=2000000.0001016 +y_0=500000.0001016 +datum=NAD83 +units=us-ft +no_defs',
  2227: '+proj=lcc +lat_0=36.5 +lon_0=-120.5 +lat_1=38.4333333333333 +lat_2=37.0666666666667 +x_0=2000000.0001016 +y_0=500000.0001016 +datum=NAD83 +units=us-ft +no_defs',
};

/**
 * proj4 definition for an EPSG code: WGS84 UTM north/south (326zz/327zz), NAD83 UTM (269zz, zones 1–23),
 * ETRS89 UTM (258zz, zones 28–38) and the fixed list above. Null when unknown.
 */
export function epsgToProj4(epsg: number): string | null {
  if (FIXED[epsg]) return FIXED[epsg];
  const zone = epsg % 100;
  const family = Math.floor(epsg / 100);
  if (family === 326 && zone >= 1 && zone <= 60)
    return `+proj=utm +zone=${zone} +datum=WGS84 +units=m +no_defs`;
  if (family === 327 && zone >= 1 && zone <= 60)
    return `+proj=utm +zone=${zone} +south +datum=WGS84 +units=m +no_defs`;
  if (family === 269 && zone >= 1 && zone <= 23)
    return `+proj=utm +zone=${zone} +datum=NAD83 +units=m +no_defs`;
  if (family === 258 && zone >= 28 && zone <= 38)
    return `+proj=utm +zone=${zone} +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs`;
  return null;
}

/** A CRS from its EPSG code, or an UNSUPPORTED AppError naming `what`. */
export function crsFromEpsg(epsg: number, what: string): Crs {
  const def = epsgToProj4(epsg);
  if (!def)
    throw new AppError('UNSUPPORTED', `${what}: CRS EPSG:${epsg} is not supported (no proj4 definition)`);
  return { epsg, proj4: def };
}

/**
 * The CRS of a GeoTIFF from its GeoKeys: ProjectedCSTypeGeoKey for projected rasters,
 * GeographicTypeGeoKey for geographic ones. User-defined CRSs (32767) are not supported.
 */
export function crsFromGeoKeys(keys: Record<string, unknown> | null, what: string): Crs {
  if (!keys) throw new AppError('INVALID_INPUT', `${what}: no georeferencing (the TIFF has no GeoKeys)`);
  const model = keys.GTModelTypeGeoKey as number | undefined;
  const projected = keys.ProjectedCSTypeGeoKey as number | undefined;
  const geographic = keys.GeographicTypeGeoKey as number | undefined;
  if (model !== 2 && projected && projected !== 32767) return crsFromEpsg(projected, what);
  if ((model === 2 || !projected) && geographic && geographic !== 32767) return crsFromEpsg(geographic, what);
  throw new AppError(
    'UNSUPPORTED',
    `${what}: user-defined CRS in GeoKeys is not supported (no EPSG code; reproject it with gdalwarp -t_srs EPSG:...)`,
  );
}

/** Metres per CRS unit (1 for metre CRSs, US survey foot, degrees approximated at latitude `lat`). */
export function metresPerUnit(crs: Crs, lat: number): [number, number] {
  if (/\+proj=longlat/.test(crs.proj4)) {
    const m = (Math.PI / 180) * 6378137;
    return [m * Math.cos((lat * Math.PI) / 180), m];
  }
  if (/\+units=us-ft/.test(crs.proj4)) return [1200 / 3937, 1200 / 3937];
  if (/\+units=ft/.test(crs.proj4)) return [0.3048, 0.3048];
  return [1, 1];
}

/** A forward/inverse converter between a CRS and WGS84 lon/lat (degrees). */
export interface Wgs84Converter {
  toWgs84(x: number, y: number): [number, number];
  fromWgs84(lon: number, lat: number): [number, number];
}

/** Converter between `crs` and EPSG:4326 (lon/lat order). */
export function wgs84Converter(crs: Crs): Wgs84Converter {
  if (crs.epsg === 4326) return { toWgs84: (x, y) => [x, y], fromWgs84: (lon, lat) => [lon, lat] };
  const conv = proj4(FIXED[4326], crs.proj4);
  return {
    toWgs84: (x, y) => conv.inverse([x, y]) as [number, number],
    fromWgs84: (lon, lat) => conv.forward([lon, lat]) as [number, number],
  };
}
