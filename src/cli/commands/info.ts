import type { Command } from '../command';
import { PROFILE_IDS, openScene, type ProfileId } from '../../core/imagery/index';
import { flagString } from '../parse-args';
import { AppError } from '../../shared/errors';

/** Parses --profile, naming the allowed values when it is wrong. */
export function profileFlag(value: string | undefined): ProfileId | undefined {
  if (value === undefined) return undefined;
  if (!(PROFILE_IDS as readonly string[]).includes(value)) {
    throw new AppError('BAD_REQUEST', `unknown profile "${value}" (one of: ${PROFILE_IDS.join(', ')})`);
  }
  return value as ProfileId;
}

export const infoCommand: Command = {
  name: 'info',
  usage: 'info <source...> [--profile naip|sentinel2-l2a|rgb] [--json]',
  summary: 'describe imagery: a GeoTIFF/COG path or URL, band files of one scene, or a STAC item',
  flags: [{ name: 'profile', type: 'string', description: 'sensor profile (default: detected)' }],
  async run(args, io) {
    if (args.positionals.length === 0) throw new AppError('BAD_REQUEST', 'usage: info <source...> [--json]');
    const scene = await openScene(args.positionals, { profile: profileFlag(flagString(args, 'profile')) });
    try {
      const info = scene.info();
      if (io.jsonMode) {
        io.json(info);
        return 0;
      }
      const f = (v: number, d = 6) => Number(v.toFixed(d));
      io.out(`name:        ${info.name}`);
      io.out(`profile:     ${info.profile}`);
      io.out(`size:        ${info.width} × ${info.height} px, ${info.bands.length} bands`);
      io.out(`bands:       ${info.bands.map((b) => `${b.name} (${b.dataType})`).join(', ')}`);
      io.out(`crs:         ${info.crs.epsg !== null ? `EPSG:${info.crs.epsg}` : info.crs.proj4}`);
      io.out(`resolution:  ${f(info.resolutionM[0], 3)} × ${f(info.resolutionM[1], 3)} m`);
      io.out(`geotransform:${info.geoTransform.map((v) => ` ${v}`).join(',')}`);
      io.out(
        `bounds WGS84: W ${f(info.boundsWgs84[0])}, S ${f(info.boundsWgs84[1])}, E ${f(info.boundsWgs84[2])}, N ${f(info.boundsWgs84[3])}`,
      );
      io.out(`nodata:      ${info.nodata ?? 'none'}`);
      io.out(`date:        ${info.date ?? 'unknown'}`);
      io.out(`renders:     ${info.availableRenders.join(', ')}`);
      const st = Object.entries(info.stretch.bands).map(([n, [lo, hi]]) => `${n} ${f(lo, 4)}–${f(hi, 4)}`);
      io.out(`stretch:     ${info.stretch.method} ${st.join('; ')}`);
      return 0;
    } finally {
      scene.close();
    }
  },
};
