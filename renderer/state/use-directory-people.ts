/** The team directory's people (local to this device), read once when a panel that offers them shows. */
import { useEffect, useState } from 'react';
import type { DirectoryEntry } from '../../shared/model/directory';
import { useApi } from './console-stores';

export function useDirectoryPeople(): DirectoryEntry[] {
  const api = useApi();
  const [people, setPeople] = useState<DirectoryEntry[]>([]);
  useEffect(() => {
    let live = true;
    void api.invoke('directory.list', {}).then((entries) => live && setPeople(entries.filter((e) => e.kind === 'person')));
    return () => {
      live = false;
    };
  }, [api]);
  return people;
}
